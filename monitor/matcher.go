package monitor

import (
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Result is the outcome of matching one message.
type Result struct {
	// Match is true exactly when Keywords is non-empty and StoppedBy is "".
	Match bool
	// Keywords are the matching keyword rules as written, in rule order.
	// Never nil.
	Keywords []string
	// StoppedBy is the first matching stop rule as written, or "".
	StoppedBy string
}

// Matcher matches messages against keyword and stop rules. It is compiled
// once, immutable afterwards and safe for concurrent use.
//
// Cost per message does not grow with the number of rules: every rule part
// is indexed by the stem (stemmed parts) or word (quoted parts) it starts
// with, and prefixes sit in a byte trie, so each message word costs one or
// two map lookups and a trie walk no longer than the word.
type Matcher struct {
	rules     []compiledRule // keyword rules, then stop rules
	nKeywords int
	parts     []compiledPart
	index     hashIndex
	prefixes  trie
	scratch   sync.Pool // *scratch
}

type compiledRule struct {
	text  string
	parts []int32 // indexes into Matcher.parts
}

type compiledPart struct {
	kind PartKind
	seq  []string // stems (PartStem), words (PartExact) or the prefix
	rule int32
}

// indexEntry lists the parts whose first stem or first exact word is key.
type indexEntry struct {
	key   string
	stem  []int32
	exact []int32
}

// scratch is per-call state, pooled so matching does not allocate.
type scratch struct {
	partSeen []bool
	ruleSeen []bool
	touched  []int32 // parts with partSeen set
	rules    []int32 // rules with ruleSeen set
	matched  []int32 // matched rules
	occ      []occurrence
	doc      Doc
}

// occurrence is one place a part matched: words [word, word+n).
type occurrence struct {
	part int32
	word int32
	n    int32
}

// Compile parses keyword and stop rules. An invalid rule fails the whole
// compile with an error that names the rule and wraps its *RuleError.
func Compile(keywords, stops []string) (*Matcher, error) {
	m := &Matcher{nKeywords: len(keywords)}
	byKey := map[string]*indexEntry{}
	entry := func(key string) *indexEntry {
		e := byKey[key]
		if e == nil {
			e = &indexEntry{key: key}
			byKey[key] = e
		}
		return e
	}
	m.prefixes.nodes = []trieNode{{}}
	add := func(kind string, i int, text string) error {
		r, err := ParseRule(text)
		if err != nil {
			return fmt.Errorf("%s rule %d: %w", kind, i+1, err)
		}
		ri := int32(len(m.rules))
		cr := compiledRule{text: r.Text}
		for _, p := range r.Parts {
			pi := int32(len(m.parts))
			cp := compiledPart{kind: p.Kind, rule: ri, seq: p.Words}
			switch p.Kind {
			case PartStem:
				cp.seq = p.Stems
				e := entry(cp.seq[0])
				e.stem = append(e.stem, pi)
			case PartExact:
				e := entry(cp.seq[0])
				e.exact = append(e.exact, pi)
			case PartPrefix:
				m.prefixes.insert(cp.seq[0], pi)
			}
			m.parts = append(m.parts, cp)
			cr.parts = append(cr.parts, pi)
		}
		m.rules = append(m.rules, cr)
		return nil
	}
	for i, t := range keywords {
		if err := add("keyword", i, t); err != nil {
			return nil, err
		}
	}
	for i, t := range stops {
		if err := add("stop", i, t); err != nil {
			return nil, err
		}
	}
	m.index = newHashIndex(byKey)
	m.scratch.New = func() any {
		return &scratch{
			partSeen: make([]bool, len(m.parts)),
			ruleSeen: make([]bool, len(m.rules)),
		}
	}
	return m, nil
}

// Match normalizes text and matches it. It does not allocate unless some
// keyword rule matches.
func (m *Matcher) Match(text string) Result {
	s := m.scratch.Get().(*scratch)
	s.doc.reset()
	s.doc.analyze(text)
	res := m.matchDoc(&s.doc, s)
	m.scratch.Put(s)
	return res
}

// MatchDoc matches a document made by Analyze. Use it to analyze a message
// once and match it against several Matchers.
func (m *Matcher) MatchDoc(d *Doc) Result {
	s := m.scratch.Get().(*scratch)
	res := m.matchDoc(d, s)
	m.scratch.Put(s)
	return res
}

func (m *Matcher) matchDoc(d *Doc, s *scratch) Result {
	m.scan(d, s, false)
	m.resolve(s)
	res := Result{Keywords: []string{}}
	for _, ri := range s.matched {
		if int(ri) < m.nKeywords {
			res.Keywords = append(res.Keywords, m.rules[ri].text)
		} else {
			res.StoppedBy = m.rules[ri].text
			break
		}
	}
	res.Match = len(res.Keywords) > 0 && res.StoppedBy == ""
	s.clear()
	return res
}

// Spans returns the byte spans in text of the words that make matching
// keyword rules match: every occurrence of every part of those rules,
// sorted and without duplicates. Stop rules are not highlighted.
func (m *Matcher) Spans(text string) [][2]int {
	s := m.scratch.Get().(*scratch)
	defer m.scratch.Put(s)
	s.doc.reset()
	s.doc.analyze(text)
	d := &s.doc
	m.scan(d, s, true)
	m.resolve(s)
	var spans [][2]int
	for _, o := range s.occ {
		ri := m.parts[o.part].rule
		if int(ri) >= m.nKeywords || !s.ruleSeen[ri] || !m.ruleMatched(s, ri) {
			continue
		}
		for w := o.word; w < o.word+o.n; w++ {
			spans = append(spans, d.spans[w])
		}
	}
	s.clear()
	slices.SortFunc(spans, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	return slices.Compact(spans)
}

// scan marks every part that occurs in d. With record set it also records
// every occurrence, for Spans.
func (m *Matcher) scan(d *Doc, s *scratch, record bool) {
	words, stems := d.words, d.stems
	hasPrefixes := len(m.prefixes.nodes) > 1
	for i, w := range words {
		st := stems[i]
		e := m.index.lookup(d.sh[i], st)
		if e != nil {
			for _, p := range e.stem {
				if (record || !s.partSeen[p]) && hasSeq(stems, i, m.parts[p].seq) {
					s.hit(p, i, len(m.parts[p].seq), record)
				}
			}
		}
		if d.wh[i] != d.sh[i] || w != st {
			e = m.index.lookup(d.wh[i], w)
		}
		if e != nil {
			for _, p := range e.exact {
				if (record || !s.partSeen[p]) && hasSeq(words, i, m.parts[p].seq) {
					s.hit(p, i, len(m.parts[p].seq), record)
				}
			}
		}
		if !hasPrefixes {
			continue
		}
		// Walk the prefix trie along w; every node reached that ends a
		// prefix is a hit.
		t := &m.prefixes
		n := t.root[w[0]]
		for j := 1; n > 0; j++ {
			for _, p := range t.nodes[n].parts {
				if record || !s.partSeen[p] {
					s.hit(p, i, 1, record)
				}
			}
			if j == len(w) {
				break
			}
			n = t.child(n, w[j])
		}
	}
}

// hasSeq reports whether words[i:] starts with seq, given words[i] == seq[0].
func hasSeq(words []string, i int, seq []string) bool {
	if len(seq) > len(words)-i {
		return false
	}
	for k := 1; k < len(seq); k++ {
		if words[i+k] != seq[k] {
			return false
		}
	}
	return true
}

func (s *scratch) hit(p int32, word, n int, record bool) {
	if !s.partSeen[p] {
		s.partSeen[p] = true
		s.touched = append(s.touched, p)
	}
	if record {
		s.occ = append(s.occ, occurrence{part: p, word: int32(word), n: int32(n)})
	}
}

// resolve turns the parts seen into the sorted list of matched rules.
func (m *Matcher) resolve(s *scratch) {
	for _, p := range s.touched {
		ri := m.parts[p].rule
		if s.ruleSeen[ri] {
			continue
		}
		s.ruleSeen[ri] = true
		s.rules = append(s.rules, ri)
		if m.ruleMatched(s, ri) {
			s.matched = append(s.matched, ri)
		}
	}
	slices.Sort(s.matched)
}

func (m *Matcher) ruleMatched(s *scratch, ri int32) bool {
	for _, p := range m.rules[ri].parts {
		if !s.partSeen[p] {
			return false
		}
	}
	return true
}

// clear resets the flags set by scan and resolve, touching only what they set.
func (s *scratch) clear() {
	for _, p := range s.touched {
		s.partSeen[p] = false
	}
	for _, r := range s.rules {
		s.ruleSeen[r] = false
	}
	s.touched = s.touched[:0]
	s.rules = s.rules[:0]
	s.matched = s.matched[:0]
	s.occ = s.occ[:0]
}

// trie is a byte trie of prefixes. Node 0 is the root; root holds its
// children directly (0 for none), since every message word starts there.
type trie struct {
	nodes []trieNode
	root  [256]int32
}

type trieNode struct {
	labels []byte  // sorted
	next   []int32 // next[i] is the child under labels[i]
	parts  []int32 // prefix parts that end at this node
}

func (t *trie) insert(key string, part int32) {
	n := int32(0)
	for j := 0; j < len(key); j++ {
		c := t.child(n, key[j])
		if c < 0 {
			c = int32(len(t.nodes))
			t.nodes = append(t.nodes, trieNode{})
			nd := &t.nodes[n]
			at, _ := slices.BinarySearch(nd.labels, key[j])
			nd.labels = slices.Insert(nd.labels, at, key[j])
			nd.next = slices.Insert(nd.next, at, c)
			if n == 0 {
				t.root[key[j]] = c
			}
		}
		n = c
	}
	t.nodes[n].parts = append(t.nodes[n].parts, part)
}

// child returns the child of n under b, or -1.
func (t *trie) child(n int32, b byte) int32 {
	nd := &t.nodes[n]
	labels := nd.labels
	if len(labels) <= 8 {
		for i, l := range labels {
			if l == b {
				return nd.next[i]
			}
		}
		return -1
	}
	lo, hi := 0, len(labels)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if labels[mid] < b {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(labels) && labels[lo] == b {
		return nd.next[lo]
	}
	return -1
}

// hashIndex is an open-addressing table from a word or stem to its
// indexEntry, probed with the hashes a Doc already carries, so a message
// word that starts no rule part (nearly all of them) costs one slot load.
type hashIndex struct {
	slots   []hashSlot
	mask    uint64
	entries []indexEntry
}

type hashSlot struct {
	tag   uint32 // high half of hashWord(key), never 0; 0 marks an empty slot
	entry int32
}

func slotTag(h uint64) uint32 { return uint32(h>>32) | 1 }

func newHashIndex(byKey map[string]*indexEntry) hashIndex {
	size := 8
	for size < 2*len(byKey) {
		size *= 2
	}
	x := hashIndex{slots: make([]hashSlot, size), mask: uint64(size - 1)}
	keys := slices.Sorted(maps.Keys(byKey)) // deterministic layout
	for _, k := range keys {
		h := hashWord(k)
		i := h & x.mask
		for x.slots[i].tag != 0 {
			i = (i + 1) & x.mask
		}
		x.slots[i] = hashSlot{tag: slotTag(h), entry: int32(len(x.entries))}
		x.entries = append(x.entries, *byKey[k])
	}
	return x
}

// lookup returns the entry for key, whose hashWord is h, or nil.
func (x *hashIndex) lookup(h uint64, key string) *indexEntry {
	tag := slotTag(h)
	for i := h & x.mask; ; i = (i + 1) & x.mask {
		s := x.slots[i]
		if s.tag == 0 {
			return nil
		}
		if s.tag == tag && x.entries[s.entry].key == key {
			return &x.entries[s.entry]
		}
	}
}
