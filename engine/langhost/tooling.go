package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// InstallDependencies is `pulumi install` (and `pulumi new`): the project's package manager
// installs its dependencies, from the npm/yarn workspace root when the program is in one.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	programDir := req.GetInfo().GetProgramDirectory()
	fmt.Fprint(stdout, "Installing dependencies...\n\n")
	root, err := npm.FindWorkspaceRoot(programDir)
	switch {
	case errors.Is(err, npm.ErrNotInWorkspace):
		root = programDir
	case err != nil:
		return fmt.Errorf("failure while trying to find workspace root: %w", err)
	default:
		fmt.Fprintf(stdout, "Detected workspace root at %s\n", root)
	}
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return fmt.Errorf("failed to parse options: %w", err)
	}
	if _, err := npm.Install(server.Context(), opts.packagemanager, root, opts.production, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprint(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// GetProgramDependencies lists the program's packages (`pulumi about`) with its package manager.
func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	_, pm, err := packageManager(req.GetInfo().GetOptions().AsMap(), req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	packages, err := pm.ListPackages(ctx, req.GetInfo().GetProgramDirectory(), req.GetTransitiveDependencies())
	if err != nil {
		return nil, fmt.Errorf("failed to get node dependencies: %w", err)
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// About reports node, its version and the package manager (`pulumi about`).
func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	_, pm, err := packageManager(req.GetInfo().GetOptions().AsMap(), req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find executable %q: %w", "node", err)
	}
	metadata := map[string]string{"packagemanager": pm.Name()}
	if version, err := pm.Version(); err == nil {
		metadata["packagemanagerVersion"] = version.String()
	}
	resolve := exec.CommandContext(ctx, node, "-e", "console.log(require('typescript/package.json').version)")
	resolve.Dir = req.GetInfo().GetProgramDirectory()
	if out, err := resolve.Output(); err == nil {
		metadata["typescriptVersion"] = strings.TrimSpace(string(out))
	}
	version := ""
	if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
		version = strings.TrimSpace(string(out))
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: version, Metadata: metadata}, nil
}
