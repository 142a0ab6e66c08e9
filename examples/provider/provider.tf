terraform {
  required_version = ">= 1.5.7"
  required_providers {
    ghpkg = {
      source = "ghpkg/ghpkg"
    }
  }
}

# A classic personal access token with read:packages and write:packages
# (plus repo for repository-scoped registries). Leave token unset to use the
# GITHUB_TOKEN environment variable, else GH_TOKEN, else the GitHub CLI's
# login (gh auth token), which keeps it out of the configuration.
provider "ghpkg" {
  # Retries of 5xx answers, resets and rate limits (default 3).
  max_retries = 5
}

# GitHub Enterprise Server: api/v3/ is appended to the host.
provider "ghpkg" {
  alias    = "ghes"
  base_url = "https://ghe.example.com"
}
