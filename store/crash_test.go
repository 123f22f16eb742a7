package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
	"github.com/leadgenrunner/leadgenrunner/store/storetest"
)

// crashChildEnv, when set to a database path, turns the test binary into
// the writer child of TestKill9KeepsAcknowledgedWrites.
const crashChildEnv = "LGR_STORE_CRASH_CHILD_DB"

// crashUID is the owner the crash child writes for.
const crashUID = 1001

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		os.Exit(crashChild(path))
	}
	os.Exit(m.Run())
}

// crashChild writes forever: rule kw-i, then the owner's MenuMsgID = i,
// printing "rule i" and "user i" only after each call has returned. It
// continues numbering after the rules already stored.
func crashChild(path string) int {
	s, err := store.Open(store.Config{Path: path, MasterKey: testKey})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	rules, err := s.Rules(crashUID, store.Keyword)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	for i := len(rules) + 1; ; i++ {
		if _, _, _, err := s.AddRules(crashUID, store.Keyword, []string{fmt.Sprintf("kw-%d", i)}, 0); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 2
		}
		fmt.Printf("rule %d\n", i) // one write(2): a line is never torn
		if _, err := s.UpdateUser(crashUID, func(u *store.User) error { u.MenuMsgID = i; return nil }); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 2
		}
		fmt.Printf("user %d\n", i)
	}
}

// acks is what a child acknowledged before it died.
type acks struct {
	rule, user int
	err        error
}

// runAndKill starts a writer child on path, waits for its first ack, lets it
// run a random while longer and SIGKILLs it.
func runAndKill(t *testing.T, path string) acks {
	t.Helper()
	var got acks
	got.err = storetest.Kill9(t, []string{crashChildEnv + "=" + path}, 60*time.Millisecond, 10*time.Second, func(line string) error {
		kind, num, _ := strings.Cut(line, " ")
		n, err := strconv.Atoi(num)
		switch {
		case err != nil:
			return fmt.Errorf("bad ack line %q", line)
		case kind == "rule":
			got.rule = n
		case kind == "user":
			got.user = n
		}
		return nil
	})
	return got
}

func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	rounds := 20
	if testing.Short() {
		rounds = 5
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	prevRules := 0
	for round := range rounds {
		ack := runAndKill(t, path)
		if ack.err != nil {
			t.Fatalf("round %d: %v", round, ack.err)
		}

		s, err := store.Open(store.Config{Path: path, MasterKey: testKey})
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		if err := s.Check(); err != nil {
			t.Errorf("round %d: Check: %v", round, err)
		}
		rules, err := s.Rules(crashUID, store.Keyword)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		u, err := s.User(crashUID)
		if err != nil && ack.user > 0 {
			t.Fatalf("round %d: user after %d acked updates: %v", round, ack.user, err)
		}
		s.Close()

		if len(rules) < ack.rule {
			t.Fatalf("round %d: got %d rules; want at least the %d acknowledged", round, len(rules), ack.rule)
		}
		for i, r := range rules {
			if want := fmt.Sprintf("kw-%d", i+1); r.Text != want {
				t.Fatalf("round %d: rule %d: got %q; want %q", round, i, r.Text, want)
			}
		}
		if u.MenuMsgID < ack.user || u.MenuMsgID > len(rules) {
			t.Fatalf("round %d: MenuMsgID got %d; want between acked %d and %d rules", round, u.MenuMsgID, ack.user, len(rules))
		}
		if len(rules) <= prevRules {
			t.Errorf("round %d: no progress: %d rules, %d before", round, len(rules), prevRules)
		}
		prevRules = len(rules)
		t.Logf("round %d: acked rule %d user %d; stored %d rules", round, ack.rule, ack.user, len(rules))
	}
}
