package hostkit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// ProgramGracePeriod is how long a program may take to stop after SIGINT before it is killed:
// upstream's hosts give it 5 seconds, and so does the engine when it stops a plugin.
const ProgramGracePeriod = 5 * time.Second

// EngineHealthPeriod is how often a host checks that the engine is still there. Upstream's hosts
// check every 5 minutes; ours check more often so that a killed CLI leaves nothing running for
// long on shared test machines. The reaction (stop serving, then exit) is upstream's.
const EngineHealthPeriod = 2 * time.Second

var (
	stopOnce  sync.Once
	stopCtx   context.Context
	stopHosts context.CancelFunc
)

// stopSignal is cancelled by SIGINT (the engine's way of stopping a plugin) or by the engine's
// disappearance; the host then stops serving once the requests in flight have ended.
func stopSignal() (context.Context, context.CancelFunc) {
	stopOnce.Do(func() { stopCtx, stopHosts = signal.NotifyContext(context.Background(), os.Interrupt) })
	return stopCtx, stopHosts
}

var watched sync.Map

// watchEngine stops the host when the engine at address stops answering health checks.
func watchEngine(address string) {
	if _, seen := watched.LoadOrStore(address, true); seen {
		return
	}
	ctx, stop := stopSignal()
	if err := rpcutil.Healthcheck(ctx, address, EngineHealthPeriod, stop); err != nil {
		fmt.Fprintf(os.Stderr, "could not watch the engine at %s: %v\n", address, err)
	}
}

// Serve serves host until the engine stops it (SIGINT) or goes away; the engine reads the port
// from our first line of stdout. It exits the process on failure, naming the plugin.
func Serve(name string, host pulumirpc.LanguageRuntimeServer) {
	ctx, _ := stopSignal()
	if address := EngineAddressArg(); address != "" {
		watchEngine(address)
	}
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
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

// InterruptOnCancel makes a program built with exec.CommandContext receive SIGINT when its
// context ends, and only be killed if it is still running ProgramGracePeriod later.
func InterruptOnCancel(cmd *exec.Cmd) {
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = ProgramGracePeriod
}
