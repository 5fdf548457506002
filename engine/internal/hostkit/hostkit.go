// Package hostkit holds what this project's language hosts (../../langhost for Node.js,
// ../../langhost-python for Python) share: the engine-facing plumbing (flags, serving, the
// handshake and plugin queries) and the way a program's location and config reach its runner.
package hostkit

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Base answers the requests every language host answers alike. Embed it in a host.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	// EngineAddress is the engine's RPC address, from the command line or the handshake.
	EngineAddress string
	// Version is reported to the engine as the plugin's version.
	Version string
}

// Handshake records the engine's address.
func (b *Base) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		b.EngineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// GetPluginInfo reports the plugin's version.
func (b *Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: b.Version}, nil
}

// GetRequiredPlugins reports none: the engine resolves a resource plugin when a resource first
// needs it, and the dynamic-provider launchers are found on PATH.
func (b *Base) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports none, for the same reason.
func (b *Base) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// RegisterEngineFlags accepts the flags the engine passes to every language host (unused here).
// Logging flags such as -v and -logtostderr are already registered by the SDK's logging package.
func RegisterEngineFlags() {
	for _, name := range []string{"tracing", "root"} {
		if flag.Lookup(name) == nil {
			flag.String(name, "", "accepted for compatibility with the engine; unused")
		}
	}
}

// EngineAddressArg is the engine address the engine passes as the first argument, if any.
func EngineAddressArg() string {
	if args := flag.Args(); len(args) > 0 {
		return args[0]
	}
	return ""
}

// Serve serves host until the engine stops it; the engine reads the port from our first line of
// stdout. It exits the process on failure, naming the plugin.
func Serve(name string, host pulumirpc.LanguageRuntimeServer) {
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: could not start the RPC server: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "%s: RPC server stopped: %v\n", name, err)
		os.Exit(1)
	}
}

// ProgramLocation returns the program's directory and its entry point joined to it, or "" for
// the entry point when the project names none (the runner then uses the language's default).
func ProgramLocation(req *pulumirpc.RunRequest) (dir string, entry string) {
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		if e := info.GetEntryPoint(); e != "" && e != "." {
			return info.GetProgramDirectory(), filepath.Join(info.GetProgramDirectory(), e)
		}
		return info.GetProgramDirectory(), ""
	}
	return req.GetPwd(), req.GetProgram()
}

// ConfigEnv is the stack config in the environment variables every Pulumi SDK reads.
func ConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(config), "PULUMI_CONFIG_SECRET_KEYS=" + string(secrets)}, nil
}

// Args is a runner's command line; Add appends `--flag value` unless the value is empty.
type Args []string

// Add appends `--flag value` when value is not empty.
func (a *Args) Add(flag, value string) {
	if value != "" {
		*a = append(*a, "--"+flag, value)
	}
}
