{{- define "netweave.name" -}}{{ .Release.Name }}-netweave{{- end -}}
{{- define "netweave.labels" -}}
app.kubernetes.io/name: netweave
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "netweave.internalToken" -}}
{{- if .Values.internalToken -}}{{ .Values.internalToken }}{{- else -}}{{ sha256sum (printf "%s-%s" .Release.Name .Release.Namespace) | trunc 40 }}{{- end -}}
{{- end -}}
