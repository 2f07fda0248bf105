package main

import (
	"context"
	"reflect"
	"slices"
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
// the command's name, its positional arguments and long flags (--json,
// --timeout 5s, --timeout=5s, --assume 'x > 0' repeated). Building even
// one command's kong model costs about half a millisecond, a quarter of
// a small call's whole run, and most command lines are plain (symdiff
// diff 'x^2' x). The command gets what kong would give it: its
// arguments in order (a []string argument takes the rest), the flags
// given, every other flag at its default. It reports false for anything
// it is not sure to fill as kong would: a short flag, --, - (standard
// input), --help or --version, a flag it does not know or given twice, a
// value kong would split or that looks like a flag, two flags of one xor
// group, a missing required flag, a command with subcommands, a tag or a
// field type it does not handle, too few or too many arguments. Main
// then parses the line with kong, which also reports its errors. An
// empty command line is the default command's (default:"1", the REPL)
// with every flag at its default: `echo 'd(x^2, x)' | symdiff` would
// otherwise build the whole model, about six times the instructions of
// a small diff. TestParsePlainMatchesKong holds it to kong on every
// command and flag.
func parsePlain(args []string, cli *CLI) (runner, bool) {
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		return nil, false
	}
	v := reflect.ValueOf(cli).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if _, isCmd := f.Tag.Lookup("cmd"); !isCmd {
			continue
		}
		if len(args) == 0 {
			if f.Tag.Get("default") != "1" {
				continue
			}
		} else if commandName(f) != args[0] {
			continue
		}
		cmd := v.Field(i)
		var fs plainFields
		if !fs.collect(cmd) || !fs.fill(args[min(1, len(args)):]) {
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

// plainTag reports whether tag is a struct tag parsePlain knows the
// meaning of; any other tag on a field makes it decline. (A switch: a map
// literal is built at every start.)
func plainTag(tag string) bool {
	switch tag {
	case "arg", "optional", "name", "help", "placeholder",
		"default", "xor", "sep", "short", "group", "required":
		return true
	}
	return false
}

// plainFields are a command's positional arguments, in order, and its
// flags by name.
type plainFields struct {
	args  []plainField
	flags map[string]*plainField
}

type plainField struct {
	f   reflect.StructField
	v   reflect.Value
	set bool // given on the command line
}

// collect reads the fields of the struct v (embedded structs included,
// as kong flattens them) and sets every flag to its default.
func (fs *plainFields) collect(v reflect.Value) bool {
	if fs.flags == nil {
		fs.flags = map[string]*plainField{}
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		fv := v.Field(i)
		if f.Tag == "" && f.Anonymous && f.Type.Kind() == reflect.Struct {
			if !fs.collect(fv) {
				return false
			}
			continue
		}
		if !f.IsExported() {
			return false
		}
		for _, key := range tagKeys(f.Tag) {
			if !plainTag(key) {
				return false // cmd (a subcommand), enum, env, type, ...
			}
		}
		if _, isArg := f.Tag.Lookup("arg"); isArg {
			if f.Type.Kind() != reflect.String && f.Type != reflect.TypeFor[[]string]() {
				return false
			}
			fs.args = append(fs.args, plainField{f: f, v: fv})
			continue
		}
		name := commandName(f)
		if name == "" {
			// A flag whose name kong spells with dashes: decline when given.
			continue
		}
		fs.flags[name] = &plainField{f: f, v: fv}
		if def, ok := f.Tag.Lookup("default"); ok {
			if fv.Kind() == reflect.Slice || !setValue(fv, def) {
				return false
			}
		}
	}
	return true
}

// fill reads the command line after the command's name.
func (fs *plainFields) fill(args []string) bool {
	var pos []string
	var runs []int // where each run of positional arguments (between flags) starts in pos
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			if len(runs) == 0 || runs[len(runs)-1] < 0 {
				runs = append(runs, len(pos))
			}
			pos = append(pos, a)
			continue
		}
		if len(runs) > 0 && runs[len(runs)-1] >= 0 {
			runs = append(runs, -1) // a flag ends the run
		}
		name, ok := strings.CutPrefix(a, "--")
		if !ok || name == "" {
			return false // a short flag, - or --
		}
		name, value, hasValue := strings.Cut(name, "=")
		fl := fs.flags[name]
		if fl == nil {
			return false // --help, --version, --no-..., a mistake
		}
		if fl.set && fl.v.Kind() != reflect.Slice {
			return false
		}
		fl.set = true
		if fl.v.Kind() == reflect.Bool {
			if hasValue {
				return false
			}
			fl.v.SetBool(true)
			continue
		}
		if !hasValue {
			if i+1 == len(args) || strings.HasPrefix(args[i+1], "-") {
				return false
			}
			i++
			value = args[i]
		}
		if fl.v.Kind() == reflect.Slice {
			// kong splits a value at the separator (a comma unless
			// sep:"none") and reads backslash escapes; an empty value
			// it splits into no element at all (--defs '' adds no file).
			if fl.v.Type() != reflect.TypeFor[[]string]() || strings.Contains(value, "\\") ||
				fl.f.Tag.Get("sep") != "none" && (value == "" || strings.Contains(value, ",")) {
				return false
			}
			fl.v.Set(reflect.Append(fl.v, reflect.ValueOf(value)))
			continue
		}
		if !setValue(fl.v, value) {
			return false
		}
	}
	groups := map[string]bool{}
	for _, fl := range fs.flags {
		if _, required := fl.f.Tag.Lookup("required"); required && !fl.set {
			return false
		}
		if g := fl.f.Tag.Get("xor"); g != "" && fl.set {
			if groups[g] {
				return false
			}
			groups[g] = true
		}
	}
	used := 0 // of pos
	for _, a := range fs.args {
		_, optional := a.f.Tag.Lookup("optional")
		if used == len(pos) {
			if !optional {
				return false // kong reports the missing argument
			}
			continue
		}
		if a.v.Kind() == reflect.String {
			a.v.SetString(pos[used])
			used++
			continue
		}
		// A list takes the arguments up to the next flag; kong reports
		// any after it as unexpected.
		end := len(pos)
		for _, r := range runs {
			if r > used {
				end = r
				break
			}
		}
		a.v.Set(reflect.ValueOf(slices.Clone(pos[used:end])))
		used = end
	}
	return used == len(pos)
}

// setValue sets a flag from its default tag or its value on the command
// line as kong's mappers read them.
func setValue(fv reflect.Value, s string) bool {
	if strings.Contains(s, "${") {
		return false // kong interpolates variables
	}
	switch {
	case fv.Type() == reflect.TypeFor[time.Duration]():
		d, err := time.ParseDuration(s)
		if err != nil {
			return false
		}
		fv.SetInt(int64(d))
	case fv.Kind() == reflect.String:
		fv.SetString(s)
	case fv.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return false
		}
		fv.SetBool(b)
	case fv.Kind() == reflect.Int:
		n, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			return false
		}
		fv.SetInt(n)
	case fv.Kind() == reflect.Uint64:
		n, err := strconv.ParseUint(s, 0, 64)
		if err != nil {
			return false
		}
		fv.SetUint(n)
	case fv.Kind() == reflect.Float64:
		x, err := strconv.ParseFloat(s, 64)
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
