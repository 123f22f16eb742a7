package bottest

import (
	"html"
	"strings"
	"testing"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, text, mode string
		wantErr          string // substring; "" for none
	}{
		{"plain", "1 < 2 & *x_", "", ""},
		{"html ok", `<b>bold</b> <a href="https://x">l</a> &lt;tag&gt; &amp; <tg-spoiler>s</tg-spoiler>`, "HTML", ""},
		{"html bare lt", "1 < 2", "HTML", "Unsupported start tag"},
		{"html br", "a<br>b", "HTML", `Unsupported start tag "br"`},
		{"html unclosed", "<b>bold", "HTML", `Can't find end tag corresponding to start tag "b"`},
		{"html crossed", "<b><i>x</b></i>", "HTML", `Unmatched end tag`},
		{"html unterminated", "<b", "HTML", "Unclosed start tag"},
		{"html limit counts visible text", "<b>" + strings.Repeat("a", 4096) + "</b>", "HTML", ""},
		{"html entity counts once", strings.Repeat("&amp;", 4096), "HTML", ""},
		{"too long", strings.Repeat("a", 4097), "", "message is too long"},
		{"too long in utf16", strings.Repeat("😀", 2049), "", "message is too long"},
		{"mdv2 ok", `*bold* _it_ __u__ ~s~ ||sp|| [link](https://x.example/a.b) ` + "`a.b` ```go\nx.y```" + ` 1\.5\!`, "MarkdownV2", ""},
		{"mdv2 dot", "Hello.", "MarkdownV2", `Character '.' is reserved`},
		{"mdv2 dash", "a-b", "MarkdownV2", `Character '-' is reserved`},
		{"mdv2 unclosed bold", "*bold", "MarkdownV2", "Can't find end of Bold entity at byte offset 0"},
		{"mdv2 unclosed code", "`code", "MarkdownV2", "Can't find end of Code entity"},
		{"mdv2 blockquote", ">quote\n>more", "MarkdownV2", ""},
		{"md ok", "*bold* _it_ `code` [l](https://x.example/a_b)", "Markdown", ""},
		{"md underscore", "user_name joined", "Markdown", "Can't find end of the entity starting at byte offset 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := checkText(tt.text, tt.mode, maxTextLen, "message is too long")
			switch {
			case tt.wantErr == "" && e != nil:
				t.Errorf("got %q; want no error", e.description)
			case tt.wantErr != "" && (e == nil || !strings.Contains(e.description, tt.wantErr)):
				t.Errorf("got %v; want an error containing %q", e, tt.wantErr)
			}
		})
	}
}

// FuzzHTMLPlain checks that escaped text always parses and keeps its
// visible content, and that no input panics.
func FuzzHTMLPlain(f *testing.F) {
	f.Add("1 < 2 & 3 > 0")
	f.Add("<b>x</b>")
	f.Add("&#128512; &bogus; &")
	f.Fuzz(func(t *testing.T, s string) {
		htmlPlain(s)
		markdownV2Plain(s)
		markdownPlain(s)
		plain, err := htmlPlain(html.EscapeString(s))
		if err != nil {
			t.Fatalf("escaped %q does not parse: %v", s, err)
		}
		if plain != s {
			t.Fatalf("visible text of escaped %q = %q", s, plain)
		}
	})
}
