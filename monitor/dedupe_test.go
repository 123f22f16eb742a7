package monitor

import "testing"

func TestDedupeKey(t *testing.T) {
	base := DedupeKey(1, "need a designer")
	if len(base) != 64 {
		t.Fatalf("key length: got %d; want 64 hex digits", len(base))
	}
	for _, c := range []struct {
		name   string
		sender int64
		text   string
		same   bool
	}{
		{name: "case, spacing, punctuation", sender: 1, text: "Need a  DESIGNER!", same: true},
		{name: "line breaks and emoji", sender: 1, text: "🔥 need\na designer 🔥", same: true},
		{name: "NFKC", sender: 1, text: "ｎｅｅｄ a designer", same: true},
		{name: "other sender", sender: 2, text: "need a designer"},
		{name: "other words", sender: 1, text: "need a designer now"},
		{name: "word order", sender: 1, text: "a designer need"},
		{name: "stems are not enough", sender: 1, text: "need a designers"},
		{name: "sender digits do not run into text", sender: 11, text: "need a designer"},
	} {
		if got := DedupeKey(c.sender, c.text) == base; got != c.same {
			t.Errorf("%s: same key got %v; want %v", c.name, got, c.same)
		}
	}
	if DedupeKey(1, "ё") != DedupeKey(1, "Е") {
		t.Error(`"ё" and "Е" differ; want the matcher's folding`)
	}
}
