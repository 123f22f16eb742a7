package bot

import (
	"strings"
	"testing"
)

func TestCallbackRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		act  string
		args []int64
	}{
		{"no args", "menu", nil},
		{"one arg", "kwp", []int64{3}},
		{"max args extremes", "abcdefgh", []int64{-9223372036854775808, 9223372036854775807, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := encodeCB(tt.act, tt.args...)
			if len(data) > maxCBLen {
				t.Fatalf("len(%q) = %d; want <= %d", data, len(data), maxCBLen)
			}
			got, err := decodeCB(data)
			if err != nil {
				t.Fatalf("decode %q: %v", data, err)
			}
			if got.Act != tt.act || len(got.Args) != len(tt.args) {
				t.Fatalf("got %+v; want act %q args %v", got, tt.act, tt.args)
			}
			for i := range tt.args {
				if got.Args[i] != tt.args[i] {
					t.Errorf("arg %d = %d; want %d", i, got.Args[i], tt.args[i])
				}
			}
		})
	}
}

func TestCallbackRejects(t *testing.T) {
	for _, data := range []string{
		"", "1", "1.", "2.menu", "1.MENU", "1.menu.", "1.menu.zzzzzzzzzzzzzzzzz",
		"1.menu.1.2.3.4", "\fmenu|x", "1.toolongact", "1.menu.+1", "1.menu.-",
		"1.menu." + strings.Repeat("1", 70),
	} {
		if got, err := decodeCB(data); err == nil {
			t.Errorf("decodeCB(%q) = %+v; want error", data, got)
		}
	}
}

func FuzzCallbackCodec(f *testing.F) {
	f.Add("1.kwd.1.5.2")
	f.Add("1.menu")
	f.Add("\f1|x")
	f.Add("1.a.-zz")
	f.Fuzz(func(t *testing.T, data string) {
		c, err := decodeCB(data)
		if err != nil {
			return
		}
		again := encodeCB(c.Act, c.Args...)
		if len(again) > maxCBLen {
			t.Fatalf("re-encoded %q is %d bytes", again, len(again))
		}
		c2, err := decodeCB(again)
		if err != nil || c2.Act != c.Act || len(c2.Args) != len(c.Args) {
			t.Fatalf("round trip of %q: %+v, %v", data, c2, err)
		}
		for i := range c.Args {
			if c.Args[i] != c2.Args[i] {
				t.Fatalf("arg %d differs: %d vs %d", i, c.Args[i], c2.Args[i])
			}
		}
	})
}
