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
	"fmt"
	"os"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"google.golang.org/grpc"
)

func main() {
	// Flags the engine passes to every language host; accepted and unused. Logging flags such as
	// -v and -logtostderr are already registered by the SDK's logging package.
	for _, name := range []string{"tracing", "root"} {
		if flag.Lookup(name) == nil {
			flag.String(name, "", "accepted for compatibility with the engine; unused")
		}
	}
	flag.Parse()

	engineAddress := ""
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	host := &languageHost{engineAddress: engineAddress}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the RPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}
