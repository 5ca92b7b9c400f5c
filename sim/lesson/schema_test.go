package lesson

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestSchemaMatchesTheFormat keeps lessons/schema.json, which editors use
// to complete lesson files, in step with the Go types the loader accepts:
// every YAML key of every type is a property of the schema object at the
// same place, and the schema has no property the loader would reject.
func TestSchemaMatchesTheFormat(t *testing.T) {
	raw, err := os.ReadFile("../../lessons/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if schema["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", schema["$schema"])
	}
	defs := schema["$defs"].(map[string]any)
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type, node map[string]any)
	walk = func(path string, typ reflect.Type, node map[string]any) {
		for node["$ref"] != nil {
			node = defs[strings.TrimPrefix(node["$ref"].(string), "#/$defs/")].(map[string]any)
		}
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
			if node["items"] != nil {
				node = node["items"].(map[string]any)
				for node["$ref"] != nil {
					node = defs[strings.TrimPrefix(node["$ref"].(string), "#/$defs/")].(map[string]any)
				}
			}
		}
		if typ.Kind() != reflect.Struct || typ == reflect.TypeOf(Text{}) || seen[typ] && typ == reflect.TypeOf(Goal{}) {
			return
		}
		seen[typ] = true
		props, _ := node["properties"].(map[string]any)
		if node["additionalProperties"] != false {
			t.Errorf("%s: the schema allows unknown keys, the loader does not", path)
		}
		want := map[string]reflect.Type{}
		var fields func(reflect.Type)
		fields = func(typ reflect.Type) {
			for i := 0; i < typ.NumField(); i++ {
				f := typ.Field(i)
				tag := f.Tag.Get("yaml")
				name, opts, _ := strings.Cut(tag, ",")
				if name == "-" || !f.IsExported() {
					continue
				}
				if strings.Contains(opts, "inline") {
					fields(f.Type)
					continue
				}
				want[name] = f.Type
			}
		}
		fields(typ)
		var names []string
		for n := range want {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p, ok := props[n].(map[string]any)
			if !ok {
				t.Errorf("%s.%s: in the Go type, missing from the schema", path, n)
				continue
			}
			walk(path+"."+n, want[n], p)
		}
		for n := range props {
			if _, ok := want[n]; !ok {
				t.Errorf("%s.%s: in the schema, unknown to the loader", path, n)
			}
		}
	}
	walk("$", reflect.TypeOf(Lesson{}), schema)
}
