package main

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// runner is what every leaf command is: kong calls Run with the context
// and the app bound in kongOptions.
type runner interface {
	Run(ctx context.Context, app *App) error
}

// parsePlain fills the command a plain command line names without kong:
// the command's name, then only its positional arguments, no flag at all
// (no argument starting with -, so no --, no - for standard input, no
// --help). Building even one command's kong model costs about half a
// millisecond, a quarter of a small call's whole run; a plain line is the
// common case (symdiff diff 'x^2' x). The command gets what kong would
// give it: its arguments in order (a []string argument takes the rest),
// every flag at its default. It reports false for anything it is not
// sure to fill as kong would (a command with subcommands, a required
// flag, a tag it does not know, too few or too many arguments, a field
// type it does not handle); parseOne and kong then do it.
// TestParsePlainMatchesKong holds it to kong on every command.
func parsePlain(args []string, cli *CLI) (runner, bool) {
	if len(args) == 0 {
		return nil, false
	}
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			return nil, false
		}
	}
	v := reflect.ValueOf(cli).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if _, isCmd := f.Tag.Lookup("cmd"); !isCmd || commandName(f) != args[0] {
			continue
		}
		cmd := v.Field(i)
		pos := args[1:]
		if !fillPlain(cmd, &pos) || len(pos) > 0 {
			return nil, false
		}
		r, ok := cmd.Addr().Interface().(runner)
		return r, ok
	}
	return nil, false
}

// commandName is kong's name for a command field: its name tag, else the
// field's name in lower case (kong puts dashes between the words of a
// longer name: such a field needs a name tag here).
func commandName(f reflect.StructField) string {
	if n := f.Tag.Get("name"); n != "" {
		return n
	}
	if strings.ContainsFunc(f.Name[1:], func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
		return "" // matches no argument
	}
	return strings.ToLower(f.Name)
}

// plainTags are the struct tags parsePlain knows the meaning of when no
// flag is given; any other tag on a field makes it decline.
var plainTags = map[string]bool{
	"arg": true, "optional": true, "name": true, "help": true, "placeholder": true,
	"default": true, "xor": true, "sep": true, "short": true, "group": true,
}

// fillPlain sets the fields of the struct v (embedded structs included,
// as kong flattens them): positional arguments from pos, which it
// consumes, and flags to their defaults.
func fillPlain(v reflect.Value, pos *[]string) bool {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		fv := v.Field(i)
		if f.Tag == "" && f.Anonymous && f.Type.Kind() == reflect.Struct {
			if !fillPlain(fv, pos) {
				return false
			}
			continue
		}
		if !f.IsExported() || f.Tag.Get("kong") == "-" {
			return false
		}
		for _, key := range tagKeys(f.Tag) {
			if !plainTags[key] {
				return false // cmd (a subcommand), required, enum, env, type, ...
			}
		}
		if _, isArg := f.Tag.Lookup("arg"); isArg {
			_, optional := f.Tag.Lookup("optional")
			switch {
			case f.Type.Kind() == reflect.String:
				if len(*pos) == 0 {
					if !optional {
						return false // kong reports the missing argument
					}
					continue
				}
				fv.SetString((*pos)[0])
				*pos = (*pos)[1:]
			case f.Type == reflect.TypeFor[[]string]():
				if len(*pos) == 0 {
					if !optional {
						return false
					}
					continue
				}
				fv.Set(reflect.ValueOf(append([]string(nil), *pos...)))
				*pos = nil
			default:
				return false
			}
			continue
		}
		def, hasDefault := f.Tag.Lookup("default")
		if !hasDefault {
			continue // the zero value, as kong leaves it
		}
		if !setDefault(fv, def) {
			return false
		}
	}
	return true
}

// setDefault sets a flag to its default tag as kong's mappers read it.
func setDefault(fv reflect.Value, def string) bool {
	if strings.Contains(def, "${") {
		return false // kong interpolates variables
	}
	switch {
	case fv.Type() == reflect.TypeFor[time.Duration]():
		d, err := time.ParseDuration(def)
		if err != nil {
			return false
		}
		fv.SetInt(int64(d))
	case fv.Kind() == reflect.String:
		fv.SetString(def)
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(def)
		if err != nil {
			return false
		}
		fv.SetBool(b)
	case fv.Kind() == reflect.Int:
		n, err := strconv.ParseInt(def, 0, 64)
		if err != nil {
			return false
		}
		fv.SetInt(n)
	case fv.Kind() == reflect.Uint64:
		n, err := strconv.ParseUint(def, 0, 64)
		if err != nil {
			return false
		}
		fv.SetUint(n)
	case fv.Kind() == reflect.Float64:
		x, err := strconv.ParseFloat(def, 64)
		if err != nil {
			return false
		}
		fv.SetFloat(x)
	default:
		return false
	}
	return true
}

// tagKeys lists the keys of a struct tag in Go's key:"value" syntax; a
// tag it cannot read gives a key no field may have.
func tagKeys(tag reflect.StructTag) []string {
	var keys []string
	s := string(tag)
	for {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return keys
		}
		colon := strings.IndexByte(s, ':')
		if colon <= 0 || colon+1 >= len(s) || s[colon+1] != '"' {
			return append(keys, "?")
		}
		keys = append(keys, s[:colon])
		rest := s[colon+1:]
		value, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return append(keys, "?")
		}
		s = rest[len(value):]
	}
}
