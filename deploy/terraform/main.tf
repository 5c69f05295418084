# UCODTS's cloud resources: the namespace, a managed PostgreSQL (Cloud SQL) and the Secret holding its URL,
# which the server Deployment reads (deploy/k8s/base/server-deployment.yaml, Secret `ucodts-database`, key `url`).
# Google Cloud because GKE runs Indexed Jobs and Cloud SQL gives PostgreSQL with private IP, automated
# backups, point-in-time recovery and IAM in one provider; see README.md.

resource "google_sql_database_instance" "ucodts" {
  # checkov:skip=CKV_GCP_6:ssl_mode ENCRYPTED_ONLY refuses every unencrypted connection; checkov passes only TRUSTED_CLIENT_CERTIFICATE_REQUIRED, which needs client certificates the server does not present (it connects to the private IP with the URL of the Secret)
  name                = "ucodts"
  project             = var.project
  region              = var.region
  database_version    = "POSTGRES_18"
  deletion_protection = var.deletion_protection

  settings {
    tier              = var.database_tier
    availability_type = "REGIONAL"
    disk_autoresize   = true

    ip_configuration {
      ipv4_enabled                                  = false
      private_network                               = var.network
      ssl_mode                                      = "ENCRYPTED_ONLY"
      enable_private_path_for_google_cloud_services = true
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }

    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }
    database_flags {
      name  = "log_connections"
      value = "on"
    }
    database_flags {
      name  = "log_disconnections"
      value = "on"
    }
    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }
    database_flags {
      name  = "log_min_messages"
      value = "error"
    }
    database_flags {
      name  = "log_temp_files"
      value = "0"
    }
    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }
    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
    database_flags {
      name  = "log_statement"
      value = "ddl"
    }
    database_flags {
      name  = "log_hostname"
      value = "on"
    }
    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }
    database_flags {
      name  = "log_duration"
      value = "on"
    }
  }
}

resource "google_sql_database" "ucodts" {
  name     = "ucodts"
  project  = var.project
  instance = google_sql_database_instance.ucodts.name
}

resource "random_password" "ucodts" {
  length  = 32
  special = false
}

resource "google_sql_user" "ucodts" {
  name     = "ucodts"
  project  = var.project
  instance = google_sql_database_instance.ucodts.name
  password = random_password.ucodts.result
}

resource "kubernetes_namespace_v1" "ucodts" {
  metadata {
    name = var.namespace
    labels = {
      "app.kubernetes.io/part-of" = "ucodts"
    }
  }
}

resource "kubernetes_secret_v1" "database" {
  metadata {
    name      = "ucodts-database"
    namespace = kubernetes_namespace_v1.ucodts.metadata[0].name
  }
  data = {
    url = "postgres://${google_sql_user.ucodts.name}:${random_password.ucodts.result}@${google_sql_database_instance.ucodts.private_ip_address}:5432/${google_sql_database.ucodts.name}?sslmode=require"
  }
  type = "Opaque"
}
