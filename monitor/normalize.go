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
	wh    []uint64 // wh[i] is hashWord(words[i]), for the Matcher's index
	sh    []uint64 // sh[i] is hashWord(stems[i])
	spans [][2]int // byte offsets of words[i] in the original text
	buf   []byte   // scratch for the word being built
}

// Analyze normalizes text, splits it into words and stems every word.
func Analyze(text string) *Doc {
	n := len(text)/6 + 1 // about one word per 6 bytes of chat text
	d := &Doc{
		words: make([]string, 0, n),
		stems: make([]string, 0, n),
		wh:    make([]uint64, 0, n),
		sh:    make([]uint64, 0, n),
		spans: make([][2]int, 0, n),
	}
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
	d.wh = d.wh[:0]
	d.sh = d.sh[:0]
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
	d     *Doc
	a     *analyzer // per-P stem cache; nil for rule text, which skips caches
	in    bool
	flags uint8
	start int
	end   int
}

// word appends the folded word rune r, at input bytes [start, end).
func (b *wordBuilder) word(r rune, flags uint8, start, end int) {
	if !b.in {
		b.in = true
		b.flags = 0
		b.start = start
		b.d.buf = b.d.buf[:0]
	}
	b.flags |= flags
	b.end = end
	switch {
	case r < utf8.RuneSelf:
		b.d.buf = append(b.d.buf, byte(r))
	case r < 0x800:
		b.d.buf = append(b.d.buf, byte(0xC0|r>>6), byte(0x80|r&0x3F))
	default:
		b.d.buf = utf8.AppendRune(b.d.buf, r)
	}
}

// add handles any folded rune.
func (b *wordBuilder) add(r rune, start, end int) {
	switch class, flags := classify(r); {
	case class == classWord || (class == classMark && b.in):
		b.word(r, flags, start, end)
	case b.in:
		b.flush()
	}
}

func (b *wordBuilder) flush() {
	if !b.in {
		return
	}
	b.in = false
	d := b.d
	var e *cacheEntry
	if b.a != nil {
		e = b.a.lookup(d.buf, b.flags)
	} else {
		ne := newEntry(string(d.buf), b.flags)
		e = &ne
	}
	d.words = append(d.words, e.word)
	d.stems = append(d.stems, e.stem)
	d.wh = append(d.wh, e.wh)
	d.sh = append(d.sh, e.sh)
	d.spans = append(d.spans, [2]int{b.start, b.end})
}

// analyze fills d from text, stemming through the caches. Offsets in spans
// refer to text.
func (d *Doc) analyze(text string) {
	a := analyzers.Get().(*analyzer)
	d.scan(text, a)
	analyzers.Put(a)
}

func (d *Doc) scan(text string, a *analyzer) {
	if !d.scanNormal(text, a) {
		d.reset()
		d.scanNFKC(text, a)
	}
}

// scanNormal is the fast path for text that is already NFKC, which is
// nearly every message: it checks each rune as it goes and gives up
// (returns false) at the first rune it cannot prove stable. In normalized
// text every output rune has an exact position in the input. ASCII and
// basic Cyrillic are decoded, folded and classified inline.
func (d *Doc) scanNormal(text string, a *analyzer) bool {
	b := wordBuilder{d: d, a: a}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z':
				b.word(rune(c), hasLatin, i, i+1)
			case 'A' <= c && c <= 'Z':
				b.word(rune(c+('a'-'A')), hasLatin, i, i+1)
			case '0' <= c && c <= '9':
				b.word(rune(c), 0, i, i+1)
			case b.in:
				b.flush()
			}
			i++
			continue
		}
		if (c == 0xD0 || c == 0xD1) && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			// U+0400..U+047F; letters up to U+045F are the Russian
			// alphabet and its neighbours, all NFKC-stable.
			if r := rune(c&0x1F)<<6 | rune(text[i+1]&0x3F); r <= 0x45F {
				b.word(fold(r), hasCyrillic, i, i+2)
				i += 2
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !nfkcStable(r, text[i:]) {
			return false
		}
		b.add(fold(r), i, i+size)
		i += size
	}
	b.flush()
	return true
}

// nfkcStable reports whether the rune r at the start of s is unchanged by
// NFKC whatever precedes it: it has no decomposition and never combines
// with the rune before it. A string of such runes is in NFKC (Unicode's
// quick-check rule). Basic Cyrillic (U+0400–U+045F, which includes ё and й)
// is known to qualify (TestNFKCStableTable) and skips the table lookup.
func nfkcStable(r rune, s string) bool {
	if 0x400 <= r && r <= 0x45F {
		return true
	}
	if r == utf8.RuneError {
		return false // leave invalid UTF-8 to the normalizer
	}
	p := norm.NFKC.PropertiesString(s)
	return p.BoundaryBefore() && len(p.Decomposition()) == 0
}

// scanNFKC normalizes segment by segment. Runes produced from one input
// segment all get that segment's span.
func (d *Doc) scanNFKC(text string, a *analyzer) {
	b := wordBuilder{d: d, a: a}
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
	d.scan(text, nil)
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

// Stems are memoized in two levels. stemWord is pure, so the caches change
// how fast a stem is found, never which stem; they hold no state any caller
// can observe, which is why they may be package-level. Stemming is the
// dominant cost of matching and message vocabulary is heavily skewed, so
// nearly every lookup hits.
//
//   - analyzer: a direct-mapped table of l1Size entries, taken from a
//     sync.Pool (so in effect one per P) for the length of one Analyze: no
//     locks on a hit.
//   - stemCache: shared, sharded, RWMutex-guarded maps behind it. A shard is
//     cleared when it reaches shardCap entries, which bounds memory at about
//     cacheShards*shardCap words.

const l1Size = 4096 // power of two

type analyzer struct {
	l1 [l1Size]cacheEntry
}

var analyzers = sync.Pool{New: func() any { return new(analyzer) }}

// lookup returns the entry for the word in b. The strings in it are owned
// by the caches; nothing is allocated on a hit.
func (a *analyzer) lookup(b []byte, flags uint8) *cacheEntry {
	h := hashWord(b)
	e := &a.l1[h&(l1Size-1)]
	if e.wh == h && e.word == string(b) {
		return e
	}
	*e = stemMemo.get(b, h, flags)
	return e
}

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
	_  [32]byte // 24+8+32: one 64-byte cache line per shard
}

type cacheEntry struct {
	word, stem string
	wh, sh     uint64 // hashWord(word), hashWord(stem)
}

func newEntry(w string, flags uint8) cacheEntry {
	s := stemWord(w, flags)
	e := cacheEntry{word: w, stem: s, wh: hashWord(w)}
	if s == w {
		e.stem, e.sh = w, e.wh // share the memory
	} else {
		e.sh = hashWord(s)
	}
	return e
}

var stemMemo = newStemCache()

func newStemCache() *stemCache {
	c := &stemCache{}
	for i := range c.shards {
		c.shards[i].m = make(map[string]cacheEntry)
	}
	return c
}

// get returns the entry for the word in b, whose hashWord is h.
func (c *stemCache) get(b []byte, h uint64, flags uint8) cacheEntry {
	sh := &c.shards[h>>58] // top 6 bits; the L1 index uses the low ones
	sh.mu.RLock()
	e, ok := sh.m[string(b)]
	sh.mu.RUnlock()
	if ok {
		return e
	}
	e = newEntry(string(b), flags)
	sh.mu.Lock()
	if len(sh.m) >= shardCap {
		clear(sh.m)
	}
	sh.m[e.word] = e
	sh.mu.Unlock()
	return e
}

// hashWord is a fixed 64-bit hash of a word (FNV-1a with a final mix).
// Doc carries it for every word and stem so that the Matcher's index never
// hashes at match time. It is never 0, so an empty L1 entry never hits.
func hashWord[T string | []byte](s T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return h | 1
}
