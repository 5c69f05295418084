// A static export (out/): `ucodts serve` serves these files at /, and no Node runs in production.
/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'export',
  // Each screen is written as NAME/index.html, which the server finds for /NAME and /NAME/.
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  devIndicators: false,
  poweredByHeader: false,
};

export default nextConfig;
