// Command pulumi-language-python is a minimal Python language host for the Pulumi engine.
//
// Why it exists: like the Node.js one in ../langhost, the upstream Python language host lives in
// its own Go module (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) that the
// module proxy reachable from our build machines does not serve, while the engine (pkg/v3) and the
// SDK (sdk/v3) are. The pieces that do the real work are in those served modules or on PyPI:
//
//   - the runner `pulumi-language-python-exec` ships in the sdk/v3 module zip (python/cmd); the
//     engine build (scripts/engine.sh) copies it next to this binary, where the upstream host looks
//     for it too, and it runs the program with the `pulumi` package from PyPI;
//   - virtual-environment handling (create, pip install -r requirements.txt, activate) is the SDK's
//     own python/toolchain package, the same code the upstream host uses.
//
// This host translates the engine's requests into those: Run spawns the runner with the arguments
// and the PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS environment the runner reads, and
// InstallDependencies (`pulumi install`) creates the project's virtualenv.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"pulumi-turnstile-rotation/engine/internal/hostkit"
)

// execName is the runner's file name; like upstream, it is looked for next to this binary.
const execName = "pulumi-language-python-exec"

// version is reported to the engine as this plugin's version; set with -ldflags at build time.
var version = "3.274.1"

func main() {
	hostkit.RegisterEngineFlags()
	useExecutor := flag.String("use-executor", "", "run programs with this runner instead of the "+execName+" next to this binary")
	flag.Parse()

	runner := *useExecutor
	if runner == "" {
		self, err := os.Executable()
		if err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-python: cannot locate this executable: %v\n", err)
			os.Exit(1)
		}
		runner = filepath.Join(filepath.Dir(self), execName)
	}
	host := &languageHost{Base: hostkit.Base{EngineAddress: hostkit.EngineAddressArg(), Version: version}, runner: runner}
	hostkit.Serve("pulumi-language-python", host)
}
