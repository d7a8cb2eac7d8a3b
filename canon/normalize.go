package canon

import (
	"bytes"
	"crypto/sha256"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/piprate/json-gold/ld"
)

// statement is one statement of a canonical dataset and its N-Quads line.
type statement struct {
	quad *ld.Quad
	line []byte
}

// canonicalForm is a dataset after RDFC-1.0: its statements with canonical
// blank node labels (_:c14n0, _:c14n1, ...), in canonical order.
type canonicalForm []statement

// size is the length of the canonical N-Quads.
func (f canonicalForm) size() int {
	n := 0
	for _, st := range f {
		n += len(st.line)
	}
	return n
}

// writeTo writes the canonical N-Quads, line by line.
func (f canonicalForm) writeTo(w io.Writer) error {
	for _, st := range f {
		if _, err := w.Write(st.line); err != nil {
			return err
		}
	}
	return nil
}

// normalize canonicalizes ds (RDFC-1.0 §4.4). It changes the blank nodes of
// ds's statements to their canonical labels, as json-gold does.
//
// In the common case every blank node's first-degree hash (§4.6) is its
// own. Then step 5 of §4.4 issues every canonical label, in the order of
// those hashes, and steps 6 and later (the N-degree hashes of §4.8) have
// nothing left to do; normalize does that case itself, in a fraction of
// the time and allocations json-gold's NormalisationAlgorithm takes. When
// two blank nodes share a first-degree hash, json-gold runs the whole
// algorithm. Either way the result is json-gold's, byte for byte: the
// first-degree hash serializes statements exactly as json-gold's does.
//
// Known shortcoming of that second case: on some graphs json-gold's result
// changes from run to run (two look-alike blank nodes in two graphs named
// by blank nodes, which its N-degree hashes do not tell apart), so a
// signature over such a document may fail to verify. The first case is
// deterministic.
func normalize(ds *ld.RDFDataset) canonicalForm {
	quads, mentions := datasetQuads(ds)
	order, ok := distinctFirstDegree(mentions)
	if !ok {
		na := ld.NewNormalisationAlgorithm(ld.AlgorithmURDNA2015)
		na.Normalize(ds)
		return sortedForm(na.Quads())
	}

	canonical := make(map[string]string, len(order))
	for i, label := range order {
		canonical[label] = "c14n" + strconv.Itoa(i)
	}
	relabelQuads(quads, canonical)
	return sortedForm(quads)
}

// datasetQuads lists the statements of every graph of ds, and for each
// blank node the statements that mention it. A statement is listed once per
// mention, as json-gold's blank node to quads map does (§4.4 step 2.1); a
// statement naming one blank node twice then weighs twice in its hash.
func datasetQuads(ds *ld.RDFDataset) ([]*ld.Quad, map[string][]*ld.Quad) {
	var quads []*ld.Quad
	mentions := map[string][]*ld.Quad{}
	for _, graph := range ds.Graphs {
		for _, q := range graph {
			quads = append(quads, q)
			for _, n := range [...]ld.Node{q.Subject, q.Object, q.Graph} {
				if bn, ok := n.(ld.BlankNode); ok {
					mentions[bn.Attribute] = append(mentions[bn.Attribute], q)
				}
			}
		}
	}
	return quads, mentions
}

// distinctFirstDegree returns the blank nodes in the order of their
// first-degree hashes, or false when two of them share a hash.
func distinctFirstDegree(mentions map[string][]*ld.Quad) ([]string, bool) {
	type hashed struct {
		label string
		hash  [sha256.Size]byte
	}

	nodes := make([]hashed, 0, len(mentions))
	var buf []byte
	for label, qs := range mentions {
		var hash [sha256.Size]byte
		hash, buf = firstDegreeHash(label, qs, buf)
		nodes = append(nodes, hashed{label, hash})
	}

	// Comparing the digests' bytes orders them as json-gold orders their
	// lowercase hexadecimal forms.
	slices.SortFunc(nodes, func(x, y hashed) int { return bytes.Compare(x.hash[:], y.hash[:]) })
	order := make([]string, len(nodes))
	for i, n := range nodes {
		if i > 0 && n.hash == nodes[i-1].hash {
			return nil, false
		}
		order[i] = n.label
	}
	return order, true
}

// firstDegreeHash is the Hash First Degree Quads algorithm (RDFC-1.0 §4.6):
// SHA-256 of the sorted N-Quads of the statements that mention label, with
// label itself written _:a and every other blank node _:z. buf is scratch
// space, returned for reuse.
func firstDegreeHash(label string, qs []*ld.Quad, buf []byte) ([sha256.Size]byte, []byte) {
	self := strings.TrimPrefix(label, "_:")
	name := func(other string) string {
		if other == self {
			return "a"
		}
		return "z"
	}

	buf = buf[:0]
	ends := make([]int, len(qs))
	for i, q := range qs {
		buf = appendQuad(buf, q, name)
		ends[i] = len(buf)
	}
	lines := cutLines(buf, ends)
	slices.SortFunc(lines, bytes.Compare)

	h := sha256.New()
	for _, line := range lines {
		h.Write(line)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, buf
}

// relabelQuads gives every blank node of quads its canonical label (§4.4
// step 7). Nodes are values, so each changed position gets a new node.
func relabelQuads(quads []*ld.Quad, canonical map[string]string) {
	relabel := func(n ld.Node) ld.Node {
		if bn, ok := n.(ld.BlankNode); ok {
			return ld.NewBlankNode("_:" + canonical[bn.Attribute])
		}
		return n
	}
	for _, q := range quads {
		q.Subject = relabel(q.Subject)
		q.Object = relabel(q.Object)
		if q.Graph != nil {
			q.Graph = relabel(q.Graph)
		}
	}
}

// sortedForm writes canonically labelled statements in N-Quads, into one
// buffer, and sorts them by their lines in code point order (§4.4 step 8).
func sortedForm(quads []*ld.Quad) canonicalForm {
	buf := make([]byte, 0, 128*len(quads))
	ends := make([]int, len(quads))
	for i, q := range quads {
		buf = appendQuad(buf, q, nil)
		ends[i] = len(buf)
	}

	form := make(canonicalForm, len(quads))
	for i, line := range cutLines(buf, ends) {
		form[i] = statement{quad: quads[i], line: line}
	}
	slices.SortFunc(form, func(x, y statement) int { return bytes.Compare(x.line, y.line) })
	return form
}

// cutLines cuts buf at the given ends into lines that share its memory.
func cutLines(buf []byte, ends []int) [][]byte {
	lines := make([][]byte, len(ends))
	start := 0
	for i, end := range ends {
		lines[i] = buf[start:end:end]
		start = end
	}
	return lines
}
