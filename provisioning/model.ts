/**
 * The provisioning vocabulary (docs/provisioning.md): O2 IMS managed infrastructure templates and provisioning
 * requests, and the Crossplane v2 objects they are made of on the management cluster. Labels and annotations
 * are the contract between netweave and the Compositions an operator writes.
 */

/** Labels a Composition must carry to be offered as a template: its name and version. */
export const TEMPLATE_NAME_LABEL = 'o2ims.netweave.io/template-name';
export const TEMPLATE_VERSION_LABEL = 'o2ims.netweave.io/template-version';
/** Composition annotation: how long a request may take before it is FAILED (Go duration: 30m, 1h, 90s). */
export const TIMEOUT_ANNOTATION = 'o2ims.netweave.io/timeout';
/** Composition annotation: the template's description. */
export const DESCRIPTION_ANNOTATION = 'o2ims.netweave.io/description';
/** The timeout of a template without the annotation. */
export const DEFAULT_TEMPLATE_TIMEOUT_SECONDS = 30 * 60;

/** Composite labels and annotations that hold the request, so it can be rebuilt from the composite alone. */
export const REQUEST_ID_LABEL = 'o2ims.netweave.io/provisioning-request-id';
export const REQUEST_DESCRIPTION_ANNOTATION = 'o2ims.netweave.io/description';

export const PROVISIONING_PHASES = ['PENDING', 'PROGRESSING', 'FULFILLED', 'FAILED', 'DELETING'] as const;
export type ProvisioningPhase = (typeof PROVISIONING_PHASES)[number];

/** A Kubernetes object as the management cluster returns it (only what is read is typed). */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly generation?: number;
    readonly creationTimestamp?: string | Date;
    readonly deletionTimestamp?: string | Date;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly resourceVersion?: string;
  };
  readonly spec?: unknown;
  readonly status?: unknown;
  readonly data?: Readonly<Record<string, string>>;
}

export interface CompositeType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
}

export interface Template {
  /** O2 artifactResourceId: UUID v5 of `<name>.<version>`. */
  readonly templateId: string;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** OpenAPI v3 schema of `templateParameters` (the XRD's spec.parameters schema). */
  readonly parameterSchema: Record<string, unknown>;
  readonly timeoutSeconds: number;
  /** The Composition the template stands for, and the composite type it composes. */
  readonly compositionName: string;
  readonly compositeType: CompositeType;
}

export interface ProvisioningRequestData {
  readonly provisioningRequestId: string;
  readonly name: string;
  readonly description: string;
  readonly templateName: string;
  readonly templateVersion: string;
  readonly templateParameters: Record<string, unknown>;
}

export interface ProvisioningStatus {
  readonly provisioningPhase: ProvisioningPhase;
  readonly message: string;
  readonly updateTime: string;
}

/** What the API shows of one request (built from its composite, the Secret and the join record). */
export interface ProvisioningRequestView {
  readonly data: ProvisioningRequestData;
  readonly status: ProvisioningStatus;
  /** Set once FULFILLED: the node cluster (and cluster id) it made. */
  readonly nodeClusterId: string | null;
  readonly clusterId: string;
}
