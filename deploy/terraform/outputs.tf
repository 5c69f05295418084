output "namespace" {
  description = "The namespace to apply the production overlay in."
  value       = kubernetes_namespace_v1.ucodts.metadata[0].name
}

output "database_instance" {
  description = "The Cloud SQL instance's connection name."
  value       = google_sql_database_instance.ucodts.connection_name
}

output "database_secret" {
  description = "The Secret (key `url`) the server Deployment reads."
  value       = kubernetes_secret_v1.database.metadata[0].name
}
