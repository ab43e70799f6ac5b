{{- define "netweave.name" -}}{{ .Release.Name }}-netweave{{- end -}}
{{- define "netweave.labels" -}}
app.kubernetes.io/name: netweave
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
{{- define "netweave.gatewaySelector" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: gateway
{{- end -}}

{{/* The Secret holding the values the chart generates (only those without an existingSecret). */}}
{{- define "netweave.generatedSecretName" -}}{{ include "netweave.name" . }}-generated{{- end -}}

{{/* secretKeyRef of one entry of .Values.secrets: the user's Secret, else the generated one. */}}
{{- define "netweave.secretRef" -}}
{{- $entry := index .root.Values.secrets .name -}}
{{- if $entry.existingSecret -}}
secretKeyRef: { name: {{ $entry.existingSecret | quote }}, key: {{ $entry.key | quote }} }
{{- else -}}
secretKeyRef: { name: {{ include "netweave.generatedSecretName" .root | quote }}, key: {{ .name | quote }} }
{{- end -}}
{{- end -}}

{{/* Redis settings of the cluster subgraphs: the gateway's store, standalone or Sentinel. */}}
{{- define "netweave.subgraphRedisEnv" -}}
{{- if eq .Values.store.kind "redis" }}
{{- if .Values.store.sentinels }}
- name: NETWEAVE_REDIS_SENTINELS
  value: {{ include "netweave.sentinelList" . | quote }}
- name: NETWEAVE_REDIS_SENTINEL_NAME
  value: {{ required "store.sentinelName is required with sentinels" .Values.store.sentinelName | quote }}
{{- else }}
- name: REDIS_URL
  value: {{ required "store.url is required with store.kind: redis and no sentinels" .Values.store.url | quote }}
{{- end }}
- name: NETWEAVE_REDIS_KEY_PREFIX
  value: {{ .Values.store.keyPrefix | quote }}
{{- include "netweave.redisPasswordEnv" . }}
{{- end }}
{{- end -}}

{{- define "netweave.sentinelList" -}}
{{- $list := list -}}
{{- range .Values.store.sentinels }}{{ $list = append $list (printf "%s:%v" .host .port) }}{{ end -}}
{{ join "," $list }}
{{- end -}}

{{- define "netweave.redisPasswordEnv" -}}
{{- if and (eq .Values.store.kind "redis") .Values.store.auth.existingSecret }}
- name: NETWEAVE_REDIS_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ .Values.store.auth.existingSecret | quote }}, key: {{ .Values.store.auth.key | quote }} }
{{- end }}
{{- end -}}

{{/* The restricted Pod Security Standard, for every pod and container of the chart. */}}
{{- define "netweave.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile: { type: RuntimeDefault }
{{- end -}}
{{- define "netweave.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities: { drop: [ALL] }
seccompProfile: { type: RuntimeDefault }
{{- end -}}

{{/* The subgraph configuration file of one cluster (also hashed into the pod's checksum annotation). */}}
{{- define "netweave.subgraphConfig" -}}
clusterId: {{ .cluster.clusterId }}
oCloudId: {{ .root.Values.gateway.oCloud.oCloudId | quote }}
poolLabel: {{ .cluster.poolLabel | default "netweave.io/pool" | quote }}
site: {{- toYaml .cluster.site | nindent 2 }}
{{- end -}}
