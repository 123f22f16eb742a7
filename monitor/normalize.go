package monitor

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
	"golang.org/x/text/unicode/norm"
)

// Normalization, word splitting and stemming, applied identically to
// messages and to rule text (spec: /work/shared/eval/matching/README.md):
//
//  1. NFKC, 2. lower-casing, 3. ё -> е, 4. words are maximal runs of
//     letters and digits, 5. each word stemmed by Russian Snowball if it has
//     a Cyrillic letter, else English Snowball (Porter2) if it has a Latin
//     letter, else the word is its own stem.
//
// One deliberate reading of step 4: a combining mark (Unicode category M)
// that follows a letter or digit stays inside the word. After NFKC such a
// mark is left only where no precomposed character exists (a Russian stress
// mark, "за́мок"); it is part of the character the reader sees, and
// splitting there would invent the words "за" and "мок". A mark that does
// not follow a word character separates words like any other symbol.

// Doc is a message analyzed once: its normalized words, their stems and
// where each word is in the original text. A Doc is independent of any
// Matcher, so one Doc can be matched against many Matchers (MatchDoc).
// A Doc is read-only after Analyze and safe for concurrent use.
type Doc struct {
	words []string // normalized words
	stems []string // stems[i] is the stem of words[i]
	spans [][2]int // byte offsets of words[i] in the original text
	buf   []byte   // scratch for the word being built
}

// Analyze normalizes text, splits it into words and stems every word.
func Analyze(text string) *Doc {
	d := &Doc{}
	d.analyze(text)
	d.buf = nil
	return d
}

// Words returns a copy of the normalized words of the document.
func (d *Doc) Words() []string { return append([]string(nil), d.words...) }

// Stems returns a copy of the stems, one per word.
func (d *Doc) Stems() []string { return append([]string(nil), d.stems...) }

// Len reports the number of words.
func (d *Doc) Len() int { return len(d.words) }

func (d *Doc) reset() {
	clear(d.words) // drop references so a pooled Doc does not pin strings
	clear(d.stems)
	d.words = d.words[:0]
	d.stems = d.stems[:0]
	d.spans = d.spans[:0]
	d.buf = d.buf[:0]
}

// Script flags of the letters seen in a word.
const (
	hasCyrillic uint8 = 1 << iota
	hasLatin
)

// Rune classes after folding.
const (
	classSep uint8 = iota
	classWord
	classMark
)

// wordBuilder accumulates one word while scanning.
type wordBuilder struct {
	d      *Doc
	in     bool
	flags  uint8
	start  int
	end    int
	cached bool // stem through the shared cache (messages); rules skip it
}

func (b *wordBuilder) add(r rune, start, end int) {
	class, flags := classify(r)
	switch {
	case class == classWord || (class == classMark && b.in):
		if !b.in {
			b.in = true
			b.flags = 0
			b.start = start
			b.d.buf = b.d.buf[:0]
		}
		b.flags |= flags
		b.end = end
		b.d.buf = utf8.AppendRune(b.d.buf, r)
	case b.in:
		b.flush()
	}
}

func (b *wordBuilder) flush() {
	if !b.in {
		return
	}
	b.in = false
	var w, s string
	if b.cached {
		w, s = stems.get(b.d.buf, b.flags)
	} else {
		w = string(b.d.buf)
		s = stemWord(w, b.flags)
	}
	b.d.words = append(b.d.words, w)
	b.d.stems = append(b.d.stems, s)
	b.d.spans = append(b.d.spans, [2]int{b.start, b.end})
}

// analyze fills d from text. Offsets in spans refer to text.
func (d *Doc) analyze(text string) {
	d.scan(text, true)
}

func (d *Doc) scan(text string, cached bool) {
	b := wordBuilder{d: d, cached: cached}
	if norm.NFKC.QuickSpanString(text) == len(text) {
		// Fast path: text is already NFKC (nearly every message), so every
		// output rune has an exact position in the input.
		for i := 0; i < len(text); {
			c := text[i]
			if c < utf8.RuneSelf {
				b.add(fold(rune(c)), i, i+1)
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			b.add(fold(r), i, i+size)
			i += size
		}
		b.flush()
		return
	}
	// Slow path: normalize segment by segment. Runes produced from one
	// input segment all get that segment's span.
	it := iterPool.Get().(*norm.Iter)
	it.InitString(norm.NFKC, text)
	for !it.Done() {
		start := it.Pos()
		seg := it.Next()
		end := it.Pos()
		for j := 0; j < len(seg); {
			r, size := utf8.DecodeRune(seg[j:])
			b.add(fold(r), start, end)
			j += size
		}
	}
	b.flush()
	iterPool.Put(it)
}

var iterPool = sync.Pool{New: func() any { return new(norm.Iter) }}

// normalizeWords splits already-trimmed rule text into normalized words and
// their stems without touching the shared stem cache.
func normalizeWords(text string) (words, stems []string) {
	d := &Doc{}
	d.scan(text, false)
	return d.words, d.stems
}

// fold lower-cases r and maps ё to е. Basic Latin and Cyrillic take a fast
// path; everything else goes through unicode.ToLower (the same per-rune
// mapping strings.ToLower uses).
func fold(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	case r == 'Ё' || r == 'ё':
		return 'е'
	case 'А' <= r && r <= 'Я':
		return r + ('а' - 'А')
	case 'а' <= r && r <= 'я', 0x450 <= r && r <= 0x45F:
		return r
	case 0x400 <= r && r <= 0x40F: // Ѐ..Џ -> ѐ..џ
		return r + 0x50
	}
	r = unicode.ToLower(r)
	if r == 'ё' {
		r = 'е'
	}
	return r
}

// classify reports whether a folded rune is part of a word, a combining mark
// or a separator, and which script flags a letter contributes.
func classify(r rune) (class, flags uint8) {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z':
			return classWord, hasLatin
		case '0' <= r && r <= '9':
			return classWord, 0
		}
		return classSep, 0
	case 'а' <= r && r <= 'я', 0x450 <= r && r <= 0x45F:
		return classWord, hasCyrillic
	case unicode.IsLetter(r):
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			return classWord, hasCyrillic
		case unicode.Is(unicode.Latin, r):
			return classWord, hasLatin
		}
		return classWord, 0
	case unicode.IsDigit(r):
		return classWord, 0
	case unicode.IsMark(r):
		return classMark, 0
	}
	return classSep, 0
}

// stemWord stems one normalized word as the spec prescribes.
//
// github.com/kljensen/snowball differs from the reference Snowball stemmers
// in two places, both fixed here:
//   - its Russian stemmer returns words of two letters unchanged, while
//     Snowball strips an ending that lies in RV ("ей" -> "е", "ую" -> "у");
//     the library's own vocabulary test comments those cases out. Every rule
//     of the Russian algorithm works inside RV/R1/R2, which begin after the
//     first vowel, so stemming "ж"+word and cutting the "ж" gives Snowball's
//     answer for the two-letter word.
//   - its English stemmer leaves words of at most two bytes alone, while
//     Porter2 leaves words of at most two letters alone ("éa" has two
//     letters and three bytes).
//
// The stop-word shortcut of the library is disabled: every word is stemmed.
func stemWord(w string, flags uint8) string {
	switch {
	case flags&hasCyrillic != 0:
		if utf8.RuneCountInString(w) == 2 {
			if s, ok := strings.CutPrefix(russian.Stem("ж"+w, true), "ж"); ok {
				return s
			}
			return w
		}
		return russian.Stem(w, true)
	case flags&hasLatin != 0:
		if utf8.RuneCountInString(w) <= 2 {
			return w
		}
		return english.Stem(w, true)
	}
	return w
}

// stemCache memoizes stemWord, which is pure: the cache changes how fast a
// stem is found, never which stem. Stemming is the dominant cost of matching
// and message vocabulary is heavily skewed, so nearly every lookup hits.
// It is the one package-level variable; being a memo of a pure function it
// holds no state any caller can observe. Each shard is cleared when it
// reaches shardCap entries, which bounds memory at roughly
// cacheShards*shardCap words.
type stemCache struct {
	shards [cacheShards]cacheShard
}

const (
	cacheShards = 64
	shardCap    = 4096
)

type cacheShard struct {
	mu sync.RWMutex
	m  map[string]cacheEntry
	_  [40]byte // keep shards on separate cache lines
}

type cacheEntry struct {
	word, stem string
}

var stems = newStemCache()

func newStemCache() *stemCache {
	c := &stemCache{}
	for i := range c.shards {
		c.shards[i].m = make(map[string]cacheEntry)
	}
	return c
}

// get returns the word as a string and its stem. On a hit both strings are
// owned by the cache and nothing is allocated.
func (c *stemCache) get(b []byte, flags uint8) (word, stem string) {
	h := uint32(2166136261)
	for _, x := range b {
		h = (h ^ uint32(x)) * 16777619
	}
	sh := &c.shards[h%cacheShards]
	sh.mu.RLock()
	e, ok := sh.m[string(b)]
	sh.mu.RUnlock()
	if ok {
		return e.word, e.stem
	}
	w := string(b)
	s := stemWord(w, flags)
	if s == w {
		s = w // share the memory
	}
	sh.mu.Lock()
	if len(sh.m) >= shardCap {
		clear(sh.m)
	}
	sh.m[w] = cacheEntry{w, s}
	sh.mu.Unlock()
	return w, s
}
