package app_test

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// forbidden lists, per package, import path prefixes it must never depend on,
// directly or indirectly (DESIGN.md's "never" column).
var forbidden = map[string][]string{
	"./monitor": {"gopkg.in/telebot", "github.com/gotd/", "github.com/stripe/", "github.com/sashabaranov/go-openai"},
	"./ai":      {"gopkg.in/telebot", "github.com/gotd/", "github.com/stripe/"},
	"./store":   {"gopkg.in/telebot", "github.com/gotd/", "github.com/stripe/", "github.com/sashabaranov/go-openai"},
}

func TestDeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	root := repoRoot(t)
	for pkg, bad := range forbidden {
		if _, err := os.Stat(filepath.Join(root, pkg)); os.IsNotExist(err) {
			continue // not written yet
		}
		cmd := exec.Command("go", "list", "-deps", pkg)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, b := range bad {
				if strings.HasPrefix(dep, b) {
					t.Errorf("%s depends on %s, which it must never import", pkg, dep)
				}
			}
		}
	}
}

// TestPackageDocs checks that every package has exactly one package doc
// comment, in its doc.go.
func TestPackageDocs(t *testing.T) {
	root := repoRoot(t)
	dirs := map[string]bool{}
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "data") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			dirs[filepath.Dir(path)] = true
		}
		return nil
	})
	for dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		for _, p := range pkgs {
			var withDoc []string
			for name, f := range p.Files {
				if f.Doc != nil {
					withDoc = append(withDoc, filepath.Base(name))
				}
			}
			if len(withDoc) != 1 {
				t.Errorf("%s: package doc comments in %v; want exactly one", rel, withDoc)
				continue
			}
			if withDoc[0] != "doc.go" && p.Name != "main" {
				t.Errorf("%s: package doc comment in %s; want it in doc.go", rel, withDoc[0])
			}
		}
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
