package httpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	"github.com/bianzhi/bianzhi/pkg/apperr"
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// Validator returns the shared validator, which names fields by their JSON names.
func Validator() *validator.Validate {
	validateOnce.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		validate.RegisterTagNameFunc(func(f reflect.StructField) string {
			name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
	})
	return validate
}

// BindJSON decodes the request body strictly into v (unknown fields, wrong types, trailing data and
// over-long bodies are refused with the field named) and then validates its `validate` tags.
func BindJSON(c *gin.Context, v any) error {
	if err := DecodeJSON(c.Request.Body, v); err != nil {
		return err
	}
	return Validate(v)
}

// DecodeJSON is the strict decoder behind BindJSON, usable outside gin.
func DecodeJSON(r io.Reader, v any) error {
	if r == nil {
		return apperr.New(apperr.CodeMalformedJSON, "请求内容为空", "request body is empty")
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return decodeError(err)
		}
		return apperr.New(apperr.CodeMalformedJSON, "", "request body holds more than one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		return apperr.Newf(apperr.CodeBodyTooLarge, "", "request body exceeds %d bytes", big.Limit)
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.CodeMalformedJSON, "请求内容为空", "request body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.CodeMalformedJSON, "", "request body ends in the middle of a JSON value")
	case errors.As(err, &syn):
		return apperr.Newf(apperr.CodeMalformedJSON, "", "invalid JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		return apperr.Newf(apperr.CodeWrongType, "字段“"+field+"”的类型不正确",
			"field %s must be %s, got JSON %s", field, typeName(typ.Type), typ.Value).WithField(field)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Newf(apperr.CodeUnknownField, "不认识的字段“"+field+"”", "unknown field %q", field).WithField(field)
	}
	return apperr.New(apperr.CodeMalformedJSON, "", err.Error())
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}

// Validate checks v's `validate` tags and reports the first failure with its JSON field path.
func Validate(v any) error {
	err := Validator().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) || len(verrs) == 0 {
		return apperr.New(apperr.CodeInvalidArgument, "", err.Error())
	}
	fe := verrs[0]
	field := fieldPath(fe.Namespace())
	return apperr.New(apperr.CodeInvalidArgument, fieldMessage(field, fe),
		fmt.Sprintf("field %s fails rule %q (%s)", field, fe.Tag(), fe.Param())).WithField(field)
}

// fieldPath drops the root struct name from validator's namespace ("req.items[2].name" → "items[2].name").
func fieldPath(ns string) string {
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		return ns[i+1:]
	}
	return ns
}

func fieldMessage(field string, fe validator.FieldError) string {
	q := "“" + field + "”"
	switch fe.Tag() {
	case "required":
		return q + "不能为空"
	case "min", "gte":
		return q + "不能小于 " + fe.Param()
	case "max", "lte":
		return q + "不能大于 " + fe.Param()
	case "gt":
		return q + "必须大于 " + fe.Param()
	case "oneof":
		return q + "只能取以下值之一：" + fe.Param()
	case "len":
		return q + "长度必须为 " + fe.Param()
	case "datetime":
		return q + "日期格式不正确，应为 " + fe.Param()
	}
	return q + "的取值不正确"
}

// ReadAll reads a limited body for handlers that need raw bytes (e.g. file uploads).
func ReadAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, decodeError(err)
	}
	return buf.Bytes(), nil
}
