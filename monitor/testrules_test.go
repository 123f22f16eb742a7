package monitor

import (
	"fmt"
	"testing"
	"time"

	"github.com/leadgenrunner/leadgenrunner/store"
)

func TestTestRules(t *testing.T) {
	h := newHarness(t)
	// Store messages before any rule exists: no leads, but TestRules sees them.
	texts := []string{
		"need a designer",      // 1 match
		"hello",                // 2
		"free designer course", // 3 stopped
		"logo wanted",          // 4 match (logo)
		"designers, anyone?",   // 5 match
		"designer + logo",      // 6 match (both)
		"ищу дизайнера",        // 7 match (дизайнер)
		"nothing here",         // 8
		"designer",             // 9 match
	}
	for i, text := range texts {
		m := tmsg(-1, int64(i+1), 100+int64(i), text)
		m.Date = t0.Add(time.Duration(i) * time.Minute)
		h.ingest(m)
	}
	if got := len(h.leads()); got != 0 {
		t.Fatalf("leads without rules: got %d; want 0", got)
	}
	h.rules(store.Keyword, "designer", "logo", "дизайнер")
	h.rules(store.StopWord, "free")

	rep, err := h.p.TestRules(owner, 100)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Scanned != 9 || rep.Matched != 6 || rep.Stopped != 1 {
		t.Errorf("report: scanned %d matched %d stopped %d; want 9, 6, 1", rep.Scanned, rep.Matched, rep.Stopped)
	}
	if len(rep.Examples) != MaxTestExamples {
		t.Fatalf("examples: got %d; want %d", len(rep.Examples), MaxTestExamples)
	}
	var ids, kws []string
	for _, e := range rep.Examples {
		ids = append(ids, fmt.Sprint(e.Message.MsgID))
		kws = append(kws, fmt.Sprint(e.Keywords))
	}
	if got, want := fmt.Sprint(ids), "[9 7 6 5 4]"; got != want {
		t.Errorf("example ids: got %s; want %s (newest first)", got, want)
	}
	if got, want := fmt.Sprint(kws), "[[designer] [дизайнер] [designer logo] [designer] [logo]]"; got != want {
		t.Errorf("example keywords: got %s; want %s", got, want)
	}

	rep, err = h.p.TestRules(owner, 3)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Scanned != 3 || rep.Matched != 2 {
		t.Errorf("last 3: scanned %d matched %d; want 3, 2", rep.Scanned, rep.Matched)
	}
	rep, err = h.p.TestRules(owner+1, 100)
	if err != nil || rep.Scanned != 0 || rep.Examples == nil {
		t.Errorf("another owner: got %+v, %v; want an empty report", rep, err)
	}
	// TestRules only reads: still no leads.
	if got := len(h.leads()); got != 0 {
		t.Errorf("leads after TestRules: got %d; want 0", got)
	}
}
