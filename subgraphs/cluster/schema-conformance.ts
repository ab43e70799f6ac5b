/**
 * Compile-time only: the model types the resolvers return (model.ts, the mappers of codegen.yml) agree with
 * the GraphQL types of schema/cluster.graphql (generated/graphql.ts). The generated resolver types check what
 * each resolver returns against the mapper; these checks close the loop from the mapper to the schema, so
 * `npm run typecheck` fails when a model type gains a field the schema lacks, loses one it has, or types one
 * differently. Fields that resolvers compute (nested objects, arguments) are named per type and skipped.
 */
import type * as Schema from './generated/graphql.ts';
import type * as Model from './model.ts';
import type { AlarmDictionary } from './alarm-dictionary.ts';
import type { TopologyEvent } from './topology-journal.ts';
import type { TopologySnapshot, TopologyUpdate } from './topology-stream.ts';
import type { HelmReleaseRevision } from './helm-releases.ts';
import type { Assert, Conforms } from '../../common/schema-conformance.ts';

export type ClusterSchemaConformance = [
  Assert<
    Conforms<
      Model.Cluster,
      Schema.Cluster,
      | 'oCloudSite'
      | 'location'
      | 'deploymentManager'
      | 'resourcePools'
      | 'nodes'
      | 'nodesConnection'
      | 'podsConnection'
      | 'workloadsConnection'
      | 'namespaces'
      | 'workloads'
      | 'pods'
      | 'helmReleases'
      | 'nfDeployments'
    >
  >,
  Assert<Conforms<Model.DeploymentManager, Schema.DeploymentManager, 'cluster' | 'adminProfileData'>>,
  Assert<
    Conforms<
      Model.ResourcePool,
      Schema.ResourcePool,
      'resources' | 'resourcesConnection' | 'cluster' | 'oCloudSite'
    >
  >,
  Assert<
    Conforms<
      Model.Resource,
      Schema.Resource,
      'elements' | 'resourceType' | 'resourcePool' | 'node' | 'cluster' | 'oCloudSite'
    >
  >,
  Assert<
    Conforms<
      Model.Resource['elements'][number],
      Schema.Resource,
      'elements' | 'resourceType' | 'resourcePool' | 'node' | 'cluster' | 'oCloudSite'
    >
  >,
  Assert<Conforms<Model.ResourceType, Schema.ResourceType, 'alarmDictionary'>>,
  Assert<Conforms<AlarmDictionary, Schema.AlarmDictionary>>,
  Assert<Conforms<Model.OCloudSite, Schema.OCloudSite, 'location' | 'clusters' | 'resourcePools'>>,
  Assert<Conforms<Model.Location, Schema.Location, 'sites'>>,
  Assert<Conforms<Model.Node, Schema.Node, 'pods' | 'resource' | 'cluster' | 'workloads'>>,
  Assert<Conforms<Model.NodeCondition, Schema.NodeCondition>>,
  Assert<Conforms<Model.Pod, Schema.Pod, 'workload' | 'node'>>,
  Assert<Conforms<Model.Workload, Schema.Workload, 'pods' | 'nfDeployment'>>,
  Assert<Conforms<HelmReleaseRevision, Schema.HelmReleaseRevision>>,
  Assert<Conforms<Model.InventoryChange, Schema.InventoryChange>>,
  Assert<Conforms<TopologyEvent, Schema.TopologyEvent, 'node' | 'pod' | 'workload'>>,
  Assert<Conforms<TopologyUpdate, Schema.TopologyUpdate, 'snapshot' | 'change'>>,
  Assert<Conforms<TopologySnapshot, Schema.TopologySnapshot, 'nodes' | 'pods' | 'workloads'>>,
];
