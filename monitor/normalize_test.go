package monitor

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestStemWord(t *testing.T) {
	tests := []struct{ in, want string }{
		// The spec's examples.
		{"нужен", "нуж"},
		{"нужна", "нужн"},
		{"инстаграм", "инстагр"},
		{"инстаграме", "инстаграм"},
		{"development", "develop"},
		{"developer", "develop"},
		{"landing", "land"},
		{"курсив", "курс"},
		{"ищет", "ищет"},
		{"ищу", "ищ"},
		{"ищем", "ищ"},
		// From the dev set's notes.
		{"курсор", "курсор"},
		{"дизайнерские", "дизайнерск"},
		{"бухгалтерия", "бухгалтер"},
		{"отчетный", "отчетн"},
		{"отчетность", "отчетн"},
		{"hiring", "hire"},
		{"internal", "intern"},
		// Stop words are stemmed too (the library skips them by default).
		{"которые", "котор"},
		{"было", "был"},
		{"having", "have"},
		// Two-letter Russian words: Snowball strips endings in RV; the
		// library does not (see stemWord).
		{"ей", "е"},
		{"ую", "у"},
		{"ой", "о"},
		{"во", "во"},
		{"я", "я"},
		// English: at most two letters stay as they are, counted in runes.
		{"is", "is"},
		{"éa", "éa"},
		{"résumé", "résumé"},
		// Porter2 exceptions.
		{"skies", "sky"},
		{"news", "news"},
		// No Cyrillic or Latin letter: the word is its own stem.
		{"2024", "2024"},
		{"αβγδ", "αβγδ"},
		// Mixed scripts: any Cyrillic letter picks Russian.
		{"smmщики", "smmщик"},
	}
	for _, tt := range tests {
		d := Analyze(tt.in)
		if d.Len() != 1 {
			t.Fatalf("Analyze(%q) has %d words", tt.in, d.Len())
		}
		if got := d.Stems()[0]; got != tt.want {
			t.Errorf("stem(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestAnalyzeWords(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"fullwidth", "ＳＭＭ-менеджер", []string{"smm", "менеджер"}},
		{"superscript", "50 м²", []string{"50", "м2"}},
		{"case and ё", "ЁЛКА Учёт", []string{"елка", "учет"}},
		{"decomposed ё", "уче\u0308т", []string{"учет"}},
		{"decomposed й", "и\u0306од", []string{"йод"}},
		{"hashtag", "#дизайн", []string{"дизайн"}},
		{"hyphen", "landing-page", []string{"landing", "page"}},
		{"url", "https://site.com/landing/page", []string{"https", "site", "com", "landing", "page"}},
		{"apostrophe", "manager'а don’t", []string{"manager", "а", "don", "t"}},
		{"underscore and at", "@design_masha", []string{"design", "masha"}},
		{"emoji glued", "ищу комнату🏠срочно", []string{"ищу", "комнату", "срочно"}},
		{"line break", "Looking\nfor", []string{"looking", "for"}},
		{"digits join letters", "1С8.3 3НДФЛ", []string{"1с8", "3", "3ндфл"}},
		{"latin and cyrillic c differ", "1C 1С", []string{"1c", "1с"}},
		{"accents kept", "Résumé", []string{"résumé"}},
		{"stress mark stays in the word", "за\u0301мок", []string{"за\u0301мок"}},
		{"lone mark separates", "\u0301abc", []string{"abc"}},
		{"ligature", "ﬁle", []string{"file"}},
		{"ukrainian letters", "Їжак", []string{"їжак"}},
		{"greek", "ΣΟΦΊΑ", []string{"σοφία"}},
		{"invalid utf-8", "ab\xffcd", []string{"ab", "cd"}},
		{"nothing", " ,.!? 🙂 ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Analyze(tt.in).Words(); !slices.Equal(got, tt.want) {
				t.Errorf("Analyze(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestAnalyzeSpans checks that each word's span covers the text it came
// from, on the fast path and on the normalizing path.
func TestAnalyzeSpans(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Нужен #SMM, срочно!", []string{"Нужен", "SMM", "срочно"}},
		{"ＳＭＭ-менеджер", []string{"ＳＭＭ", "менеджер"}},
		{"уче\u0308т x", []string{"уче\u0308т", "x"}},
		{"50 м²!", []string{"50", "м²"}},
	}
	for _, tt := range tests {
		d := Analyze(tt.in)
		var got []string
		for _, sp := range d.spans {
			got = append(got, tt.in[sp[0]:sp[1]])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("spans of %q = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestScanPathsAgree runs texts through both the fast path and the
// normalizing path and expects the same words.
func TestScanPathsAgree(t *testing.T) {
	texts := append(corpus(300, 7),
		"Ёжик в тумане", "ЀЍЎЏ ѐѝўџ", "Café ﬁle ＳＭＭ", "a\u0301b", "😂👍🏽 ok", "Ǆemal ǅ", "İstanbul")
	for _, text := range texts {
		var fast, slow Doc
		if !fast.scanNormal(text, nil) {
			continue
		}
		slow.scanNFKC(text, nil)
		if !slices.Equal(fast.words, slow.words) || !slices.Equal(fast.stems, slow.stems) {
			t.Errorf("%q: fast %q, normalizing %q", text, fast.words, slow.words)
		}
	}
}

// TestNFKCStableTable checks the claim nfkcStable relies on: U+0400–U+045F
// never change under NFKC and never combine with what precedes them.
func TestNFKCStableTable(t *testing.T) {
	for r := rune(0x400); r <= 0x45F; r++ {
		s := string(r)
		p := norm.NFKC.PropertiesString(s)
		if !norm.NFKC.IsNormalString(s) || !p.BoundaryBefore() || p.CCC() != 0 {
			t.Errorf("%U is not NFKC-stable", r)
		}
		for _, prev := range []string{"а", "и", "е", "a", "\u0306"} {
			if !norm.NFKC.IsNormalString(prev+s) && norm.NFKC.IsNormalString(prev) {
				t.Errorf("%q+%U is not normalized", prev, r)
			}
		}
	}
}

// TestAnalyzeMatchesNaive compares the engine's words and stems with the
// spec applied literally to whole strings (naiveWords).
func TestAnalyzeMatchesNaive(t *testing.T) {
	for _, text := range corpus(500, 3) {
		d := Analyze(text)
		words, stems := naiveWords(text)
		if !slices.Equal(d.words, words) || !slices.Equal(d.stems, stems) {
			t.Fatalf("%q:\n got %q %q\nwant %q %q", text, d.words, d.stems, words, stems)
		}
	}
}

func TestFold(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		want := []rune(strings.ReplaceAll(strings.ToLower(string(r)), "ё", "е"))
		if len(want) == 1 && fold(r) != want[0] {
			t.Errorf("fold(%U) = %U; want %U", r, fold(r), want[0])
		}
	}
}

func TestStemCacheBounded(t *testing.T) {
	c := newStemCache()
	const shard = 5
	inserted := 0
	for i := 0; inserted < shardCap+100; i++ {
		w := []byte(fmt.Sprintf("слово%d", i))
		h := hashWord(w)
		if h>>58 != shard {
			continue
		}
		inserted++
		e := c.get(w, h, hasCyrillic)
		if e.word != string(w) || e.stem != stemWord(string(w), hasCyrillic) {
			t.Fatalf("get(%q) = %+v", w, e)
		}
		if n := len(c.shards[shard].m); n > shardCap {
			t.Fatalf("shard holds %d entries; cap %d", n, shardCap)
		}
	}
	if n := len(c.shards[shard].m); n == 0 || n > 200 {
		t.Errorf("after overflow the shard holds %d entries; want it cleared and refilled", n)
	}
}
