package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"pulumi-turnstile-rotation/engine/internal/hostkit"
)

// languageHost runs Node.js programs; the requests every host answers alike come from hostkit.Base.
type languageHost struct {
	hostkit.Base
}

func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, status.Error(codes.FailedPrecondition, "node was not found on PATH")
	}
	return &pulumirpc.AboutResponse{Executable: node}, nil
}

func (h *languageHost) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	// Dependencies are installed with npm by the project itself; nothing to do here.
	return nil
}

// Run starts `node <program's @pulumi/pulumi>/cmd/run ...` and waits for it, forwarding output.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	programDir, entryPoint := hostkit.ProgramLocation(req)
	if entryPoint == "" {
		entryPoint = "." // cmd/run then takes the entry point from package.json
	}
	runScript, err := findRunScript(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node was not found on PATH: install Node.js >= 22"}, nil
	}
	config, err := hostkit.ConfigEnv(req)
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, node, runArguments(req, h.EngineAddress, runScript, entryPoint)...)
	cmd.Stdout, cmd.Stderr, cmd.Dir = os.Stdout, os.Stderr, req.GetPwd()
	cmd.Env = append(append(os.Environ(), config...), typescriptEnv(req)...)
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			// The program already reported its own error through the engine; bail quietly.
			return &pulumirpc.RunResponse{Bail: true, Error: fmt.Sprintf("program exited with code %d", exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// findRunScript looks for @pulumi/pulumi/cmd/run in node_modules from the program directory up.
func findRunScript(dir string) (string, error) {
	for current := dir; ; current = filepath.Dir(current) {
		candidate := filepath.Join(current, "node_modules", "@pulumi", "pulumi", "cmd", "run")
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		if parent := filepath.Dir(current); parent == current {
			return "", fmt.Errorf("@pulumi/pulumi is not installed for the program in %s: run npm install", dir)
		}
	}
}

func runArguments(req *pulumirpc.RunRequest, engineAddress, runScript, entryPoint string) []string {
	args := hostkit.Args{runScript}
	args.Add("monitor", req.GetMonitorAddress())
	args.Add("engine", engineAddress)
	args.Add("organization", req.GetOrganization())
	args.Add("project", req.GetProject())
	args.Add("stack", req.GetStack())
	args.Add("pwd", req.GetPwd())
	args.Add("root-directory", req.GetInfo().GetRootDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args.Add("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	args = append(args, entryPoint)
	return append(args, req.GetArgs()...)
}

// typescriptEnv passes Pulumi.yaml's TypeScript options the way cmd/run reads them.
func typescriptEnv(req *pulumirpc.RunRequest) []string {
	typescript := "true"
	var env []string
	if options := req.GetInfo().GetOptions().AsMap(); options != nil {
		if ts, ok := options["typescript"].(bool); ok && !ts {
			typescript = "false"
		}
		if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
			env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
		}
	}
	return append(env, "PULUMI_NODEJS_TYPESCRIPT="+typescript)
}
