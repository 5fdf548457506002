package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"pulumi-turnstile-rotation/engine/internal/hostkit"
)

// exitAfterUserMessage is the runner's exit code after it has already shown the user an error.
const exitAfterUserMessage = 32

// languageHost runs Python programs; the requests every host answers alike come from hostkit.Base.
type languageHost struct {
	hostkit.Base
	runner string
}

// GetProgramDependencies lists the packages of the program's environment (`pulumi about`).
func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, err := resolveToolchain(req.GetInfo(), req.GetPwd())
	if err != nil {
		return nil, err
	}
	packages, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := resolveToolchain(req.GetInfo(), "")
	if err != nil {
		return nil, err
	}
	info, err := tc.About(ctx)
	if err != nil {
		return nil, status.Errorf(codes.FailedPrecondition, "no usable Python: %v", err)
	}
	return &pulumirpc.AboutResponse{Executable: info.PythonExecutable, Version: info.PythonVersion.String()}, nil
}

// InstallDependencies (`pulumi install`) creates the project's virtualenv, when Pulumi.yaml names
// one, and installs requirements.txt into it, streaming pip's output back to the CLI.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	tc, err := resolveToolchain(req.GetInfo(), req.GetDirectory())
	if err != nil {
		return err
	}
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetDirectory()
	}
	stdout := &streamWriter{send: func(b []byte) error { return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b}) }}
	stderr := &streamWriter{send: func(b []byte) error { return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b}) }}
	return tc.InstallDependencies(server.Context(), programDir, req.GetUseLanguageVersionTools(), true, stdout, stderr)
}

// Run starts `python pulumi-language-python-exec ... <program>` in the project's environment.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if _, err := os.Stat(h.runner); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("the Python runner %s is missing: rebuild the engine (scripts/engine.sh)", h.runner)}, nil
	}
	tc, err := resolveToolchain(req.GetInfo(), req.GetPwd())
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("%v\n(or run `pulumi install`)", err)}, nil
	}
	config, err := hostkit.ConfigEnv(req)
	if err != nil {
		return nil, err
	}

	runCtx, stop := h.RunContext(ctx)
	defer stop()
	cmd, err := tc.Command(runCtx, append([]string{"-u", h.runner}, runArguments(req, h.EngineAddress)...)...)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	hostkit.InterruptOnCancel(cmd)
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env, config...)
	cmd.Stdout, cmd.Stderr, cmd.Dir = os.Stdout, os.Stderr, req.GetPwd()
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the Python runner: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// runArguments builds the runner's command line, as the upstream Python host does.
func runArguments(req *pulumirpc.RunRequest, engineAddress string) []string {
	var args hostkit.Args
	args.Add("monitor", req.GetMonitorAddress())
	args.Add("engine", engineAddress)
	args.Add("project", req.GetProject())
	args.Add("stack", req.GetStack())
	args.Add("pwd", req.GetPwd())
	args.Add("dry_run", strconv.FormatBool(req.GetDryRun()))
	args.Add("parallel", strconv.Itoa(int(req.GetParallel())))
	args.Add("organization", req.GetOrganization())
	args.Add("root_directory", req.GetInfo().GetRootDirectory())
	args = append(args, programPath(req))
	return append(args, req.GetArgs()...)
}

// programPath is the file or directory (running its __main__.py) the runner executes.
func programPath(req *pulumirpc.RunRequest) string {
	dir, entry := hostkit.ProgramLocation(req)
	switch {
	case entry != "":
		return entry
	case dir != "":
		return dir
	default:
		return "."
	}
}

// resolveToolchain reads the runtime options of Pulumi.yaml (`virtualenv`, `toolchain`) into the
// SDK's toolchain, which knows how to create, validate and use the environment.
func resolveToolchain(info *pulumirpc.ProgramInfo, fallbackDir string) (toolchain.Toolchain, error) {
	root, programDir := info.GetRootDirectory(), info.GetProgramDirectory()
	if root == "" {
		root = fallbackDir
	}
	if programDir == "" {
		programDir = root
	}
	opts := toolchain.PythonOptions{Root: root, ProgramDir: programDir, Toolchain: toolchain.Pip}
	options := info.GetOptions().AsMap()
	if venv, ok := options["virtualenv"].(string); ok && venv != "" {
		opts.Virtualenv = venv
	}
	switch name, _ := options["toolchain"].(string); name {
	case "", "pip":
		opts.Toolchain = toolchain.Pip
	case "poetry":
		opts.Toolchain = toolchain.Poetry
	case "uv":
		opts.Toolchain = toolchain.Uv
	default:
		return nil, status.Errorf(codes.InvalidArgument, "unsupported Python toolchain %q in Pulumi.yaml (pip, poetry or uv)", name)
	}
	return toolchain.ResolveToolchain(opts)
}

// streamWriter forwards install output to the CLI over the InstallDependencies stream.
type streamWriter struct {
	send func([]byte) error
}

func (w *streamWriter) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	if err := w.send(chunk); err != nil {
		return 0, err
	}
	return len(p), nil
}
