"""REST API v1: urls, one view per operation, serializers, the error shape and HTTP plumbing."""
