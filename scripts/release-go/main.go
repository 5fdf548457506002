// Command release-go writes a Go module as the Go module proxy would serve it once the module's
// tag is pushed: <out>/<escaped module path>/@v/{list,<version>.info,<version>.mod,<version>.zip},
// the zip made by golang.org/x/mod/zip, which applies the go command's own rules (the files a
// module may hold, their sizes, no nested modules). `GOPROXY=file://<out>` then serves it to
// `go get`, which checks it like any download.
//
// Usage: go run . <module directory> <version, e.g. v0.2.0> <commit time, RFC 3339> <out>
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: release-go <module directory> <version> <commit time> <out>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintf(os.Stderr, "release-go: %v\n", err)
		os.Exit(1)
	}
}

func run(dir, version, commitTime, out string) error {
	goMod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	path := modfile.ModulePath(goMod)
	if path == "" {
		return fmt.Errorf("%s/go.mod names no module", dir)
	}
	mod := module.Version{Path: path, Version: version}
	if err := module.Check(mod.Path, mod.Version); err != nil {
		return err
	}
	escaped, err := module.EscapePath(path)
	if err != nil {
		return err
	}
	target := filepath.Join(out, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(target, 0o755); err != nil {
		return err
	}
	zipFile, err := os.Create(filepath.Join(target, version+".zip"))
	if err != nil {
		return err
	}
	if err := modzip.CreateFromDir(zipFile, mod, dir); err != nil {
		zipFile.Close()
		return err
	}
	if err := zipFile.Close(); err != nil {
		return err
	}
	info, err := json.Marshal(map[string]string{"Version": version, "Time": commitTime})
	if err != nil {
		return err
	}
	files := map[string][]byte{version + ".mod": goMod, version + ".info": info, "list": []byte(version + "\n")}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(target, name), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Println(strings.TrimPrefix(filepath.Join(escaped, "@v", version+".zip"), "/"))
	return nil
}
