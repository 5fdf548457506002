//go:build tools

// Package tools pins the Pulumi CLI (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) in this module's
// requirements so `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` builds the pinned version.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
