package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON is what the scan reads from a package.json.
type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// packageScan walks a program's directory as upstream's host does: every package.json inside a
// node_modules directory (symlinks followed, each real directory once, policy packs skipped)
// that says `"pulumi": {"resource": true}` names a plugin the engine installs before the run.
type packageScan struct {
	visited  map[string]bool
	packages []*pulumirpc.PackageDependency
	sdks     map[string]semver.Version // each @pulumi/pulumi found, by its package.json
	errs     []error
}

func scanPackages(programDir string) *packageScan {
	scan := &packageScan{visited: map[string]bool{}, sdks: map[string]semver.Version{}}
	scan.dir(programDir, false)
	return scan
}

func (s *packageScan) dir(dir string, inNodeModules bool) {
	dir, err := filepath.Abs(dir)
	if err != nil || s.visited[dir] {
		return
	}
	s.visited[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		s.errs = append(s.errs, err)
		return
	}
	for _, entry := range entries {
		path := filepath.Join(dir, entry.Name())
		isDir := entry.IsDir()
		if entry.Type()&os.ModeSymlink != 0 {
			if path, err = filepath.EvalSymlinks(path); err != nil {
				s.errs = append(s.errs, err)
				continue
			}
			info, err := os.Stat(path)
			if err != nil {
				s.errs = append(s.errs, err)
				continue
			}
			isDir = info.IsDir()
		}
		switch {
		case isDir:
			// A policy pack's plugins are not the program's.
			if pack, err := workspace.DetectPolicyPackPathAt(path); err != nil || pack != "" {
				continue
			}
			s.dir(path, inNodeModules || filepath.Base(dir) == "node_modules")
		case inNodeModules && entry.Name() == "package.json":
			s.packageJSON(path)
		}
	}
}

func (s *packageScan) packageJSON(path string) {
	raw, err := os.ReadFile(path)
	if err != nil {
		s.errs = append(s.errs, err)
		return
	}
	var info packageJSON
	if err := json.Unmarshal(raw, &info); err != nil {
		s.errs = append(s.errs, fmt.Errorf("%s: %w", path, err))
		return
	}
	if info.Name == "@pulumi/pulumi" {
		if version, err := semver.Parse(info.Version); err == nil {
			s.sdks[path] = version
		}
	}
	if !info.Pulumi.Resource {
		return
	}
	name, version, err := pluginOf(info)
	if err != nil {
		s.errs = append(s.errs, fmt.Errorf("%s: %w", path, err))
		return
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: info.Pulumi.Server}
	if p := info.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	if p := info.Pulumi.ExtensionParameterization; p != nil {
		dep.Extension = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	s.packages = append(s.packages, dep)
}

// pluginOf names a package's plugin: `pulumi.name`, else the package name without `@pulumi/`
// (other scopes must name it); `pulumi.version`, else the package's version, with a leading v.
func pluginOf(info packageJSON) (name, version string, err error) {
	name = info.Pulumi.Name
	if name == "" {
		if !strings.HasPrefix(info.Name, "@pulumi/") {
			return "", "", fmt.Errorf("the third-party plugin %q must name its plugin in package.json's \"pulumi\" section", info.Name)
		}
		name = strings.TrimPrefix(info.Name, "@pulumi/")
	}
	version = info.Pulumi.Version
	if version == "" {
		version = info.Version
	}
	if version == "" {
		return "", "", errors.New("missing expected \"version\" property")
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	return name, version, nil
}

// sdkConflict describes two @pulumi/pulumi copies whose versions cannot work together, or "":
// from 3.0 on that means different major versions (upstream also has rules for 0.x, 1.x, 2.x).
func (s *packageScan) sdkConflict() string {
	var firstPath string
	var first semver.Version
	for path, version := range s.sdks {
		if firstPath == "" {
			firstPath, first = path, version
			continue
		}
		if version.Major != first.Major {
			return fmt.Sprintf("Found incompatible versions of @pulumi/pulumi. Differing major versions are not supported.\n"+
				"  Version %s referenced at %s\n  Version %s referenced at %s\n", first, firstPath, version, path)
		}
	}
	return ""
}
