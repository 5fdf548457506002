package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-turnstile-rotation/engine/internal/hostkit"
)

// languageHost runs Node.js programs; the requests every host answers alike come from hostkit.Base.
type languageHost struct {
	hostkit.Base
}

// GetRequiredPackages lists the resource plugins the program's node_modules ask for, so that the
// engine installs them before the run (and fails early when it cannot).
func (h *languageHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	scan := scanPackages(req.GetInfo().GetProgramDirectory())
	if conflict := scan.sdkConflict(); conflict != "" {
		fmt.Fprint(os.Stderr, conflict)
	}
	for _, err := range scan.errs {
		logging.V(3).Infof("while discovering plugins: %v", err)
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: scan.packages}, nil
}

// Run runs the program with the program's own @pulumi/pulumi/cmd/run and reports how it ended.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = defaultRunPath
	}
	runPath, err = locateModule(ctx, node, runPath, req.GetInfo().GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	runCtx, stop := h.RunContext(ctx)
	defer stop()
	cmd, err := h.programCommand(runCtx, req, node, runPath, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	// A wrapper, not os.Stdout itself: node may switch its stdout to non-blocking mode, which
	// must not leak into the file the engine reads (upstream does the same).
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	stderr, sniffer := newOOMSniffer(os.Stderr)
	cmd.Stderr = stderr
	err = cmd.Run()
	_ = os.Stdout.Sync()
	_ = os.Stderr.Sync()
	return runOutcome(err, sniffer), nil
}
