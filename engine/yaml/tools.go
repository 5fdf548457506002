//go:build tools

// Package tools pins upstream's YAML language host in this module's requirements, so that
// `go build github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml` builds the pinned version.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
