package parser

import (
	"context"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/alecthomas/participle/v2/lexer"
)

// Parsing stops when its context is done (Ctrl-C, --timeout): a 16 MB
// input takes seconds to read. The loops that run once per token or node
// (the lexer, the precedence climber, lowering) count, and look at the
// context once every stopEvery counts, so the check costs a counter and
// a mask, and a stop comes within a few thousand tokens.
const stopEvery = 4096

// A stopper is the context a parse honours; a nil stopper never stops.
type stopper struct {
	ctx context.Context
	err error // ctx.Err() once seen, kept so every loop returns the same
}

func newStopper(ctx context.Context) *stopper {
	if ctx == nil || ctx.Done() == nil {
		return nil // context.Background: nothing to check
	}
	return &stopper{ctx: ctx}
}

// check returns the context's error, if it is done.
func (s *stopper) check() error {
	if s == nil {
		return nil
	}
	if s.err == nil {
		s.err = s.ctx.Err()
	}
	return s.err
}

// growPiece is how many bytes growPolled copies between two looks at the
// stop: under a millisecond, even with the collector's write barriers on.
const growPiece = 2 << 20

// growPolled returns s in a buffer of twice its capacity, copied a piece
// at a time, looking at stop between pieces. A statement may be the whole
// 16 MB input: copying its 4 million tokens at once took 60-400 ms of CPU
// after a Ctrl-C (the write barriers of a collection under way, on every
// string), its 700,000 where definitions 140 ms.
func growPolled[T any](s []T, stop *stopper) ([]T, error) {
	var zero T
	piece := max(1, growPiece/int(unsafe.Sizeof(zero)))
	bigger := make([]T, len(s), 2*cap(s)+64)
	for i := 0; i < len(s); i += piece {
		if i > 0 {
			if err := stop.check(); err != nil {
				return nil, err
			}
		}
		copy(bigger[i:], s[i:min(i+piece, len(s))])
	}
	return bigger, nil
}

// participle's path. participle calls parseNode with its token stream
// and nothing else, and the grammar is built once for every parse, so a
// parse's stopper cannot reach parseNode through the grammar. It is
// found by the stream: participle works on copies of the PeekingLexer it
// is given, but they share its tokens, so the address of the first token
// names the parse.
var (
	streamStops sync.Map     // *lexer.Token (a stream's first) → *stopper
	streamsLive atomic.Int32 // parses in streamStops: none, no lookup
)

// parseStream parses a token stream with participle, honouring stop.
// When stop is done, by the end or during the parse, it returns stop's
// error, whatever participle made of the stop.
func parseStream(lex *lexer.PeekingLexer, stop *stopper) (*fileSyntax, error) {
	if stop == nil {
		return grammar().ParseFromLexer(lex)
	}
	key := streamKey(lex)
	streamStops.Store(key, stop)
	streamsLive.Add(1)
	defer func() {
		streamsLive.Add(-1)
		streamStops.Delete(key)
	}()
	tree, err := grammar().ParseFromLexer(lex)
	if serr := stop.check(); serr != nil {
		return nil, serr
	}
	return tree, err
}

// streamKey names a token stream (see streamStops); every stream holds at
// least its EOF token.
func streamKey(lex *lexer.PeekingLexer) *lexer.Token { return &lex.Range(0, 1)[0] }

// streamStopper returns the stopper of the parse lex belongs to, or nil.
func streamStopper(lex *lexer.PeekingLexer) *stopper {
	if streamsLive.Load() == 0 {
		return nil
	}
	if s, ok := streamStops.Load(streamKey(lex)); ok {
		return s.(*stopper)
	}
	return nil
}

// lexStream lexes src into the token stream participle parses, honouring
// stop while it lexes and while participle copies the tokens.
func lexStream(filename, src string, stop *stopper) (*lexer.PeekingLexer, error) {
	sc, err := newScanner(filename, src)
	if err != nil {
		return nil, err
	}
	sc.stop = stop
	toks, _, err := sc.scan(make([]token, 0, len(src)/2+16), false)
	if err != nil {
		return nil, err
	}
	lc := lineCounter{filename: filename, src: src, line: 1, col: 1}
	return upgrade(lc.tokens(make([]lexer.Token, 0, len(toks)), toks), stop)
}

// upgrade makes the stream participle parses of tokens (which end with
// EOF), honouring stop while participle copies them: a token at a time,
// a second for a few megabytes.
func upgrade(toks []lexer.Token, stop *stopper) (*lexer.PeekingLexer, error) {
	if stop == nil {
		return lexer.Upgrade(&tokenList{toks: toks})
	}
	return lexer.Upgrade(&stoppingList{tokenList: tokenList{toks: toks}, stop: stop})
}

// A stoppingList is a tokenList that honours a stopper as it is read.
type stoppingList struct {
	tokenList
	stop *stopper
}

func (l *stoppingList) Next() (lexer.Token, error) {
	if l.i%stopEvery == stopEvery-1 {
		if err := l.stop.check(); err != nil {
			return lexer.Token{}, err
		}
	}
	return l.tokenList.Next()
}
