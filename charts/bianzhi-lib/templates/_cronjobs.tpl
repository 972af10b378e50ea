{{/*
Periodic work runs as CronJobs of the service's own image: `<binary> <job>`. Forbid
keeps two runs of one job from racing (the ledger tolerates it, but the second run
only wastes work), and the deadline stops a stuck run before the next one is due.
*/}}
{{- define "bianzhi-lib.cronjobs" -}}
{{- $root := . -}}
{{- $g := include "bianzhi-lib.global" . | fromYaml -}}
{{- range .Values.cronJobs }}
{{- if .enabled }}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ printf "%s-%s" (include "bianzhi-lib.fullname" $root) .name | trunc 52 | trimSuffix "-" }}
  labels:
    {{- include "bianzhi-lib.labels" (dict "root" $root "component" "job") | nindent 4 }}
    bianzhi.gov.cn/job: {{ .name }}
spec:
  schedule: {{ .schedule | quote }}
  timeZone: {{ $root.Values.cronTimeZone | default "Asia/Shanghai" | quote }}
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 120
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: {{ .activeDeadlineSeconds | default 240 }}
      ttlSecondsAfterFinished: 3600
      template:
        metadata:
          labels:
            {{- include "bianzhi-lib.labels" (dict "root" $root "component" "job") | nindent 12 }}
            bianzhi.gov.cn/job: {{ .name }}
        spec:
          {{- include "bianzhi-lib.podCommon" $root | nindent 10 }}
          restartPolicy: Never
          containers:
            - name: {{ .name }}
              image: {{ include "bianzhi-lib.image" $root }}
              imagePullPolicy: {{ $root.Values.image.pullPolicy | default $g.image.pullPolicy }}
              args: [{{ .name | quote }}]
              {{- include "bianzhi-lib.env" $root | nindent 14 }}
              resources:
                {{- toYaml ($root.Values.jobResources | default $root.Values.resources) | nindent 16 }}
              securityContext:
                {{- include "bianzhi-lib.containerSecurityContext" $root | nindent 16 }}
              {{- include "bianzhi-lib.volumeMounts" $root | nindent 14 }}
          {{- include "bianzhi-lib.volumes" $root | nindent 10 }}
{{- end }}
{{- end }}
{{- end }}
