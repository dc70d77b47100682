// The scheduler's Azure footprint: a Flex Consumption Function app (Node 20) with a
// user-assigned managed identity, its own storage (task hub, state tables, deployment package)
// reached by identity only, Application Insights, and role assignments on an existing Azure ML
// workspace and its datastore account. No keys or connection strings anywhere.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('azd environment name; prefixes resource names.')
param environmentName string

param location string = resourceGroup().location

@description('Existing Azure ML workspace the scheduler submits jobs to.')
param amlWorkspaceName string

@description('Resource group of the Azure ML workspace.')
param amlResourceGroup string = resourceGroup().name

@description('Storage account behind the workspace datastores (workspaceblobstore).')
param datastoreStorageAccountName string

@description('Durable Functions task hub name.')
param taskHubName string = 'amlsched'

@description('Seconds a step waits for a job event before polling the job once.')
param backstopSeconds int = 300

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = { 'azd-env-name': environmentName }

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: { name: 'id-amlsched-${token}', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: 'stamlsched${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: 'amlsched-${token}', location: location, tags: tags }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: 'func-amlsched-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'scheduler' })
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    appSettings: {
      AMLSCHED_COMPUTE: 'azureml'
      AMLSCHED_TASK_HUB: taskHubName
      AMLSCHED_BACKSTOP_SECONDS: string(backstopSeconds)
      AML_SUBSCRIPTION_ID: subscription().subscriptionId
      AML_RESOURCE_GROUP: amlResourceGroup
      AML_WORKSPACE: amlWorkspaceName
      AML_CLIENT_ID: identity.outputs.clientId
      AMLSCHED_DATASTORE_ACCOUNT: datastoreStorageAccountName
    }
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
  }
}

module amlRbac 'modules/aml-rbac.bicep' = {
  name: 'aml-rbac'
  scope: resourceGroup(amlResourceGroup)
  params: {
    principalId: identity.outputs.principalId
    workspaceName: amlWorkspaceName
    datastoreStorageAccountName: datastoreStorageAccountName
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_URL string = functionApp.outputs.url
output AML_WORKSPACE string = amlWorkspaceName
output AML_RESOURCE_GROUP string = amlResourceGroup
output AML_DATASTORE_ACCOUNT string = datastoreStorageAccountName
