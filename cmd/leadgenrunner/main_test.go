package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/bot/bottest"
)

// TestMain lets a test re-run this binary as the real command.
func TestMain(m *testing.M) {
	if os.Getenv("LGR_TEST_RUN_MAIN") == "1" {
		os.Args = append([]string{"leadgenrunner"}, strings.Fields(os.Getenv("LGR_TEST_ARGS"))...)
		main()
		return
	}
	os.Exit(m.Run())
}

func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestServeNamesMissingVariable(t *testing.T) {
	full := map[string]string{"LGR_BOT_TOKEN": "1:x", "LGR_TELEGRAM_APP_ID": "1", "LGR_TELEGRAM_APP_HASH": "h"}
	tests := []struct {
		name    string
		drop    string
		wantVar string
		where   string
	}{
		{"no bot token", "LGR_BOT_TOKEN", "LGR_BOT_TOKEN", "@BotFather"},
		{"no app id", "LGR_TELEGRAM_APP_ID", "LGR_TELEGRAM_APP_ID", "my.telegram.org"},
		{"no app hash", "LGR_TELEGRAM_APP_HASH", "LGR_TELEGRAM_APP_HASH", "my.telegram.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range full {
				if k != tt.drop {
					env[k] = v
				}
			}
			var out, errb bytes.Buffer
			err := run(context.Background(), []string{"serve", "--env-file", filepath.Join(t.TempDir(), "none")}, envFunc(env), stdio{strings.NewReader(""), &out, &errb})
			code := exitCode(err, &errb)
			if code != 2 {
				t.Fatalf("exit code %d; want 2 (err %v)", code, err)
			}
			msg := strings.TrimSpace(errb.String())
			if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, tt.wantVar) || !strings.Contains(msg, tt.where) {
				t.Errorf("stderr %q; want one line naming %s and %s", msg, tt.wantVar, tt.where)
			}
		})
	}
}

func TestHelpForEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"serve", "--help"}, {"match", "--help"}, {"backup", "--help"}, {"version", "--help"}} {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, envFunc(nil), stdio{strings.NewReader(""), &out, &errb})
		if code := exitCode(err, &errb); code != 0 {
			t.Errorf("%v: exit %d, err %v", args, code, err)
		}
		if !strings.Contains(out.String(), "Usage: leadgenrunner") {
			t.Errorf("%v: no usage on stdout: %q", args, out.String())
		}
	}
	var out, errb bytes.Buffer
	if code := exitCode(run(context.Background(), []string{"frobnicate"}, envFunc(nil), stdio{nil, &out, &errb}), &errb); code != 2 {
		t.Errorf("unknown command: exit %d; want 2", code)
	}
}

func TestMatchCommand(t *testing.T) {
	dir := t.TempDir()
	kw := filepath.Join(dir, "kw.txt")
	stop := filepath.Join(dir, "stop.txt")
	os.WriteFile(kw, []byte("\ufeff# design\nдизайнер\nлоготип\n"), 0o600)
	os.WriteFile(stop, []byte("вакансия\n"), 0o600)
	in := strings.NewReader(`{"id":"a","text":"Ищу дизайнера"}
{"id":"b","text":"Вакансия: дизайнер"}
{"id":"c","text":"котировки"}
`)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"match", "--keywords", kw, "--stop-words", stop}, envFunc(nil), stdio{in, &out, &errb}); err != nil {
		t.Fatalf("match: %v (%s)", err, errb.String())
	}
	want := `{"id":"a","match":true,"keywords":["дизайнер"],"stopped_by":null}
{"id":"b","match":false,"keywords":["дизайнер"],"stopped_by":"вакансия"}
{"id":"c","match":false,"keywords":[],"stopped_by":null}
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestSignalShutdown runs the real command against the fake Bot API, sends
// SIGTERM and expects a clean exit within 5 seconds.
func TestSignalShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	tg := bottest.NewT(t)
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"LGR_TEST_RUN_MAIN=1",
		"LGR_BOT_TOKEN="+tg.Token(),
		"LGR_BOT_API_URL="+tg.URL(),
		"LGR_TELEGRAM_APP_ID=1",
		"LGR_TELEGRAM_APP_HASH=abc",
		"LGR_DATA_DIR="+filepath.Join(dir, "data"),
		"LGR_HTTP_ADDR=127.0.0.1:0",
	)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(tg.Calls("getUpdates")) == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("service never polled the Bot API; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running 5 s after SIGTERM; stderr:\n%s", stderr.String())
	}
	t.Logf("stopped %v after SIGTERM", time.Since(sent).Round(time.Millisecond))
	if s := stderr.String(); strings.Contains(s, "panic") || !strings.Contains(s, "leadgenrunner stopped") {
		t.Errorf("unclean shutdown log:\n%s", s)
	}
	for _, f := range []string{"leadgenrunner.db", "master.key"} {
		fi, err := os.Stat(filepath.Join(dir, "data", f))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v; want 0600", f, fi.Mode().Perm())
		}
	}
}
