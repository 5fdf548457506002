// Command pulumi-language-nodejs is a minimal Node.js language host for the Pulumi engine.
//
// Why it exists: the upstream language host lives in its own Go module that the module proxy
// reachable from our build machines does not serve, while the engine (pkg/v3) and the SDK
// (sdk/v3) are served. The real work of running a Node.js program is done by the
// `@pulumi/pulumi/cmd/run` script that ships in the program's own `@pulumi/pulumi` package; the
// language host only translates the engine's RunRequest into that script's command line and
// environment, exactly as the upstream host does. Plugin discovery is left to the engine: the
// only plugin our programs need (the dynamic-provider launcher) is found on PATH.
package main

import (
	"flag"

	"pulumi-turnstile-rotation/engine/internal/hostkit"
)

// version is reported to the engine as this plugin's version; set with -ldflags at build time.
var version = "3.274.1"

func main() {
	hostkit.RegisterEngineFlags()
	flag.Parse()
	host := &languageHost{Base: hostkit.Base{EngineAddress: hostkit.EngineAddressArg(), Version: version}}
	hostkit.Serve("pulumi-language-nodejs", host)
}
