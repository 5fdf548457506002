package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is reported to the engine as this plugin's version; set with -ldflags at build time.
var version = "3.274.1"

// languageHost implements the parts of LanguageRuntimeServer the engine needs to run a program.
type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins reports none: resource plugins are resolved by the engine when a resource
// first needs them, and the dynamic-provider launcher is found on PATH.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
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
	programDir, entryPoint := programLocation(req)
	runScript, err := findRunScript(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node was not found on PATH: install Node.js >= 22"}, nil
	}
	env, err := runEnvironment(req)
	if err != nil {
		return nil, err
	}

	cmd := exec.CommandContext(ctx, node, runArguments(req, h.engineAddress, runScript, programDir, entryPoint)...)
	cmd.Stdout, cmd.Stderr, cmd.Env, cmd.Dir = os.Stdout, os.Stderr, env, req.GetPwd()
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

// programLocation returns the program directory and the entry point to hand to cmd/run.
func programLocation(req *pulumirpc.RunRequest) (string, string) {
	if info := req.GetInfo(); info != nil && info.GetProgramDirectory() != "" {
		entry := info.GetEntryPoint()
		if entry == "" || entry == "." {
			return info.GetProgramDirectory(), "."
		}
		return info.GetProgramDirectory(), filepath.Join(info.GetProgramDirectory(), entry)
	}
	program := req.GetProgram()
	if program == "" {
		program = "."
	}
	return req.GetPwd(), program
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

func runArguments(req *pulumirpc.RunRequest, engineAddress, runScript, programDir, entryPoint string) []string {
	args := []string{runScript}
	add := func(flag, value string) {
		if value != "" {
			args = append(args, "--"+flag, value)
		}
	}
	add("monitor", req.GetMonitorAddress())
	add("engine", engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	if info := req.GetInfo(); info != nil {
		add("root-directory", info.GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		add("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	args = append(args, entryPoint)
	return append(args, req.GetArgs()...)
}

// runEnvironment passes config the way @pulumi/pulumi's runtime reads it.
func runEnvironment(req *pulumirpc.RunRequest) ([]string, error) {
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
	env := append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets))
	typescript := "true"
	if options := req.GetInfo().GetOptions().AsMap(); options != nil {
		if ts, ok := options["typescript"].(bool); ok && !ts {
			typescript = "false"
		}
		if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
			env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
		}
	}
	return append(env, "PULUMI_NODEJS_TYPESCRIPT="+typescript), nil
}
