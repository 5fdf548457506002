package main

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
)

// nodeOptions are the `runtime.options` of a Node.js project's Pulumi.yaml.
type nodeOptions struct {
	typescript     bool   // run .ts sources through ts-node (default true)
	tsconfigPath   string // the tsconfig ts-node uses
	nodeargs       string // extra arguments for node, e.g. `--import tsx`
	packagemanager npm.PackageManagerType
	production     bool // `pulumi install` skips devDependencies
}

// parseOptions reads the options with upstream's names, defaults and errors: a value of the wrong
// type is refused with the same message rather than ignored, so a typo fails here as it does there.
func parseOptions(options map[string]any) (nodeOptions, error) {
	opts := nodeOptions{typescript: true}
	packagemanager := string(npm.AutoPackageManager)
	err := errors.Join(
		option(options, "typescript", &opts.typescript, "typescript option must be a boolean"),
		option(options, "tsconfig", &opts.tsconfigPath, "tsconfigpath option must be a string"),
		option(options, "nodeargs", &opts.nodeargs, "nodeargs option must be a string"),
		option(options, "production", &opts.production, "production option must be a boolean"),
		option(options, "packagemanager", &packagemanager, "packagemanager option must be a string"),
	)
	if err != nil {
		return opts, err
	}
	switch packagemanager {
	case "auto", "npm", "yarn", "pnpm", "bun":
		opts.packagemanager = npm.PackageManagerType(packagemanager)
	default:
		return opts, fmt.Errorf("packagemanager option must be one of auto, npm, yarn, pnpm or bun, got %q", packagemanager)
	}
	return opts, nil
}

// option copies options[name] into *into when it is set, and refuses a value of another type.
func option[T any](options map[string]any, name string, into *T, wrongType string) error {
	value, ok := options[name]
	if !ok {
		return nil
	}
	typed, ok := value.(T)
	if !ok {
		return errors.New(wrongType)
	}
	*into = typed
	return nil
}

// packageManager is the package manager the project's options and lock files choose.
func packageManager(options map[string]any, programDir string) (nodeOptions, npm.PackageManager, error) {
	opts, err := parseOptions(options)
	if err != nil {
		return opts, nil, fmt.Errorf("failed to parse options: %w", err)
	}
	pm, err := npm.ResolvePackageManager(opts.packagemanager, programDir)
	if err != nil {
		return opts, nil, fmt.Errorf("could not resolve packagemanager: %w", err)
	}
	return opts, pm, nil
}
