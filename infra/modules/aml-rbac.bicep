// Roles on the Azure ML side: submit jobs and register assets in the workspace (AzureML Data
// Scientist), read and write the datastore blobs (Storage Blob Data Contributor).
param principalId string
param workspaceName string
param datastoreStorageAccountName string

var dataScientist = 'f6c7c914-8db3-469d-8ca1-694a8f32e121'
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' existing = {
  name: workspaceName
}

resource datastoreAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: datastoreStorageAccountName
}

resource workspaceRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, principalId, dataScientist)
  scope: workspace
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataScientist)
  }
}

resource datastoreRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(datastoreAccount.id, principalId, blobDataContributor)
  scope: datastoreAccount
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
  }
}
