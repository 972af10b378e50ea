module github.com/bianzhi/bianzhi/deploy/local

go 1.26.0

require github.com/bianzhi/bianzhi/pkg v0.0.0

replace github.com/bianzhi/bianzhi/pkg => ../../pkg
