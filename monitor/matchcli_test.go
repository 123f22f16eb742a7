package monitor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// devCase is one labelled message of testdata/matching/dev.jsonl, a copy of
// shared/eval/matching/dev.jsonl.
type devCase struct {
	ID        string   `json:"id"`
	Config    string   `json:"config"`
	Text      string   `json:"text"`
	Match     bool     `json:"match"`
	Keywords  []string `json:"keywords"`
	StoppedBy *string  `json:"stopped_by"`
	Why       string   `json:"why"`
}

func readRules(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rules, err := ReadRuleFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

// TestDevSet runs every labelled message through RunMatch with its
// config's rule files and compares match, keywords (ordered) and stopped_by.
func TestDevSet(t *testing.T) {
	dir := filepath.Join("testdata", "matching")
	raw, err := os.ReadFile(filepath.Join(dir, "dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	byConfig := map[string][]devCase{}
	var configs []string
	var lines = map[string][]byte{}
	for line := range bytes.Lines(raw) {
		var c devCase
		if err := json.Unmarshal(line, &c); err != nil {
			t.Fatalf("dev.jsonl: %v", err)
		}
		if _, ok := byConfig[c.Config]; !ok {
			configs = append(configs, c.Config)
		}
		byConfig[c.Config] = append(byConfig[c.Config], c)
		lines[c.Config] = append(lines[c.Config], line...)
	}
	total, passed := 0, 0
	for _, cfg := range configs {
		kw := readRules(t, filepath.Join(dir, cfg+".keywords.txt"))
		stop := readRules(t, filepath.Join(dir, cfg+".stop.txt"))
		var out bytes.Buffer
		if err := RunMatch(bytes.NewReader(lines[cfg]), &out, kw, stop); err != nil {
			t.Fatalf("%s: RunMatch: %v", cfg, err)
		}
		sc := bufio.NewScanner(&out)
		cases := byConfig[cfg]
		i := 0
		for ; sc.Scan(); i++ {
			var got struct {
				ID        string   `json:"id"`
				Match     bool     `json:"match"`
				Keywords  []string `json:"keywords"`
				StoppedBy *string  `json:"stopped_by"`
			}
			if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
				t.Fatalf("%s: output line %d: %v", cfg, i+1, err)
			}
			if i >= len(cases) {
				t.Fatalf("%s: more output lines than input", cfg)
			}
			want := cases[i]
			total++
			if got.ID != want.ID {
				t.Errorf("line %d: id %q; want %q", i+1, got.ID, want.ID)
				continue
			}
			if got.Keywords == nil {
				t.Errorf("%s: keywords is null; want an array", want.ID)
			}
			if got.Match != want.Match || !slices.Equal(got.Keywords, want.Keywords) || deref(got.StoppedBy) != deref(want.StoppedBy) {
				t.Errorf("%s (%s): got match=%v keywords=%q stopped_by=%q; want match=%v keywords=%q stopped_by=%q\ntext: %s",
					want.ID, want.Why, got.Match, got.Keywords, deref(got.StoppedBy), want.Match, want.Keywords, deref(want.StoppedBy), want.Text)
				continue
			}
			passed++
		}
		if i != len(cases) {
			t.Errorf("%s: %d output lines; want %d", cfg, i, len(cases))
		}
	}
	t.Logf("dev set: %d/%d cases pass", passed, total)
}

func deref(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

func TestRunMatchErrors(t *testing.T) {
	kw := []string{"логотип"}
	tests := []struct {
		name    string
		in      string
		wantOut int // lines written before the error
		wantErr string
	}{
		{"bad json", "{\"id\":\"a\",\"text\":\"логотип\"}\n{oops\n", 1, "line 2"},
		{"missing text", "{\"id\":\"a\"}\n", 0, `line 1: missing "text"`},
		{"missing id", "\n{\"text\":\"x\"}\n", 0, `line 2: missing "id"`},
		{"not an object", "[1,2]\n", 0, "line 1"},
		{"blank lines and no final newline", "\n\n{\"id\":1,\"text\":\"ЛОГОТИП\"}", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := RunMatch(strings.NewReader(tt.in), &out, kw, nil)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("RunMatch: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("RunMatch error %v; want one containing %q", err, tt.wantErr)
			}
			if got := strings.Count(out.String(), "\n"); got != tt.wantOut {
				t.Errorf("wrote %d lines; want %d:\n%s", got, tt.wantOut, out.String())
			}
		})
	}
}

func TestRunMatchOutput(t *testing.T) {
	in := `{"id":"x1","text":"нужен дизайнер <b>","extra":true}` + "\n" +
		`{"id":"x2","text":"дизайнер, резюме"}` + "\n" +
		`{"id":"x3","text":"ничего"}` + "\n"
	var out bytes.Buffer
	if err := RunMatch(strings.NewReader(in), &out, []string{"дизайнер", `"1с"`}, []string{"резюме"}); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"x1","match":true,"keywords":["дизайнер"],"stopped_by":null}` + "\n" +
		`{"id":"x2","match":false,"keywords":["дизайнер"],"stopped_by":"резюме"}` + "\n" +
		`{"id":"x3","match":false,"keywords":[],"stopped_by":null}` + "\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestRunMatchBadRule(t *testing.T) {
	err := RunMatch(strings.NewReader(""), &bytes.Buffer{}, []string{"ok", "a ++ b"}, nil)
	if err == nil || !strings.Contains(err.Error(), "keyword rule 2") {
		t.Fatalf("got %v; want an error naming keyword rule 2", err)
	}
}
