package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/google/shlex"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-turnstile-rotation/engine/internal/hostkit"
)

// defaultRunPath is the module that runs a program; PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it.
const defaultRunPath = "@pulumi/pulumi/cmd/run"

// locateModule resolves a module with node's own resolution from the program's directory, so
// workspaces, hoisting and symlinked node_modules behave as they do for the program itself.
func locateModule(ctx context.Context, node, module, programDir string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)); } catch (error) {`+
		` if (error.code === "MODULE_NOT_FOUND") {`+
		` console.error("It looks like the Pulumi SDK has not been installed. Have you run pulumi install?"); }`+
		` else { console.error(error.message); } process.exit(1); }`, module)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", errors.New(string(exitErr.Stderr))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// programCommand is `node <nodeargs> <cmd/run> <flags> <entry point> <args>` with the environment
// cmd/run reads, built as upstream's host builds it.
func (h *languageHost) programCommand(
	ctx context.Context, req *pulumirpc.RunRequest, node, runPath string, opts nodeOptions,
) (*exec.Cmd, error) {
	nodeArgs, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return nil, err
	}
	args := hostkit.Args(append(nodeArgs, runPath))
	args.Add("monitor", req.GetMonitorAddress())
	args.Add("engine", h.EngineAddress)
	args.Add("organization", req.GetOrganization())
	args.Add("project", req.GetProject())
	args.Add("root-directory", req.GetInfo().GetRootDirectory())
	args.Add("stack", req.GetStack())
	args.Add("pwd", req.GetInfo().GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args.Add("parallel", strconv.Itoa(int(req.GetParallel())))
	args.Add("tracing", hostkit.TracingArg())
	args = append(args, req.GetInfo().GetEntryPoint())
	args = append(args, req.GetArgs()...)

	configJSON, err := programConfig(req)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration secret keys: %w", err)
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+configJSON, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfigPath)
	}

	// No working directory is set: cmd/run changes to --pwd itself.
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Env = env
	hostkit.InterruptOnCancel(cmd)
	return cmd, nil
}

// programConfig is PULUMI_CONFIG: `{}` for a stack without config (the SDK's Config cannot read
// `null`), and each key in the `<namespace>:config:<name>` form that every @pulumi/pulumi reads.
func programConfig(req *pulumirpc.RunRequest) (string, error) {
	values := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		values[key.Namespace()+":config:"+key.Name()] = v
	}
	encoded, err := json.Marshal(values)
	return string(encoded), err
}
