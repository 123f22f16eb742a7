package web

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps web on the standard library: it reaches the store and
// billing only through interfaces declared here.
func TestDeps(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(gobin, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const self = "github.com/leadgenrunner/leadgenrunner/web"
	for dep := range strings.FieldsSeq(string(out)) {
		if dep != self {
			t.Errorf("web depends on %s; it may import only the standard library", dep)
		}
	}
}
