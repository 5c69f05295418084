variable "project" {
  description = "The Google Cloud project that holds the database (and the GKE cluster the kubernetes provider points at)."
  type        = string
}

variable "region" {
  description = "Region of the Cloud SQL instance; the same as the GKE cluster's, so the database is reached over the private network."
  type        = string
  default     = "europe-west1"
}

variable "network" {
  description = "Self link of the VPC network the GKE cluster runs in; Cloud SQL gets a private IP on it (no public address)."
  type        = string
}

variable "namespace" {
  description = "The Kubernetes namespace of UCODTS (the production overlay uses `ucodts`)."
  type        = string
  default     = "ucodts"
}

variable "database_tier" {
  description = "Cloud SQL machine tier. db-custom-2-7680: 2 vCPU, 7.5 GB, ample for the service's decisions and audit log."
  type        = string
  default     = "db-custom-2-7680"
}

variable "deletion_protection" {
  description = "Refuse to destroy the database instance (keep true in production: it holds the audit log)."
  type        = bool
  default     = true
}
