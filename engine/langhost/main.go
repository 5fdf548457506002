// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi engine.
//
// Why it exists: the upstream language host lives in its own Go module that the module proxy
// reachable from our build machines does not serve, while the engine (pkg/v3) and the SDK
// (sdk/v3) are served. The real work of running a Node.js program is done by the
// `@pulumi/pulumi/cmd/run` script that ships in the program's own `@pulumi/pulumi` package; the
// language host translates the engine's requests into that script's command line and
// environment the way upstream's host does. docs/engine.md lists what a program can observe of
// upstream's host, whether this one matches it, and the test in tests/engine that proves it.
package main

import (
	"flag"
	"fmt"
	"os"

	"pulumi-turnstile-rotation/engine/internal/hostkit"
)

// version is reported to the engine as this plugin's version; set with -ldflags at build time.
var version = "3.274.1"

func main() {
	hostkit.RegisterEngineFlags()
	showVersion := flag.Bool("version", false, "print the plugin's version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		os.Exit(0)
	}
	host := &languageHost{Base: hostkit.Base{EngineAddress: hostkit.EngineAddressArg(), Version: version}}
	hostkit.Serve("pulumi-language-nodejs", host)
}
