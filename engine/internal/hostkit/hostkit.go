// Package hostkit holds what this project's language hosts (../../langhost for Node.js,
// ../../langhost-python for Python) share: the engine-facing plumbing (flags, serving, the
// handshake and plugin queries) and the way a program's location and config reach its runner.
package hostkit

import (
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Base answers the requests every language host answers alike. Embed it in a host.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	// EngineAddress is the engine's RPC address, from the command line or the handshake.
	EngineAddress string
	// Version is reported to the engine as the plugin's version.
	Version string

	initCancel sync.Once
	cancelOnce sync.Once
	cancelled  chan struct{}
}

// cancelledChan is closed by the first Cancel request.
func (b *Base) cancelledChan() chan struct{} {
	b.initCancel.Do(func() { b.cancelled = make(chan struct{}) })
	return b.cancelled
}

// Handshake records the engine's address and, like upstream's hosts, starts watching its health
// when the address did not come on the command line.
func (b *Base) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		b.EngineAddress = req.GetEngineAddress()
		watchEngine(b.EngineAddress)
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// GetPluginInfo reports the plugin's version.
func (b *Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: b.Version}, nil
}

// GetRequiredPlugins reports none: the engine asks GetRequiredPackages, which each host answers.
func (b *Base) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports none; a host that can find its program's packages overrides it.
func (b *Base) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// Cancel stops every program this host runs, as upstream's hosts do on the Cancel request.
func (b *Base) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	b.cancelOnce.Do(func() { close(b.cancelledChan()) })
	return &emptypb.Empty{}, nil
}

// RunContext is the context a program runs under: it ends with the Run request (the engine gave
// up or went away) or with a Cancel request, whichever comes first.
func (b *Base) RunContext(request context.Context) (context.Context, context.CancelFunc) {
	cancelled := b.cancelledChan()
	ctx, cancel := context.WithCancel(request)
	go func() {
		select {
		case <-cancelled:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// RegisterEngineFlags accepts the flags the engine passes to every language host. Logging flags
// such as -v and -logtostderr are already registered by the SDK's logging package.
func RegisterEngineFlags() {
	for _, name := range []string{"tracing", "root"} {
		if flag.Lookup(name) == nil {
			flag.String(name, "", "passed by the engine")
		}
	}
}

// TracingArg is the tracing endpoint the engine passed with -tracing, if any.
func TracingArg() string {
	if f := flag.Lookup("tracing"); f != nil {
		return f.Value.String()
	}
	return ""
}

// EngineAddressArg is the engine address the engine passes as the first argument, if any.
func EngineAddressArg() string {
	if args := flag.Args(); len(args) > 0 {
		return args[0]
	}
	return ""
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

// ConfigEnv is the stack config in the environment variables the Python SDK reads: like
// upstream's Python host, PULUMI_CONFIG is left out when the engine sends no config at all.
func ConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	var env []string
	if config := req.GetConfig(); config != nil {
		encoded, err := json.Marshal(config)
		if err != nil {
			return nil, err
		}
		env = append(env, "PULUMI_CONFIG="+string(encoded))
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	return append(env, "PULUMI_CONFIG_SECRET_KEYS="+string(secrets)), nil
}

// Args is a runner's command line; Add appends `--flag value` unless the value is empty.
type Args []string

// Add appends `--flag value` when value is not empty.
func (a *Args) Add(flag, value string) {
	if value != "" {
		*a = append(*a, "--"+flag, value)
	}
}
