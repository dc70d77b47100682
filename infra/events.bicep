// Event Grid wiring, applied after the code is deployed (the subscriptions point at functions
// that must exist): Azure ML job status events → `amlJobEvents`, which raises them into the
// waiting step orchestrations; datastore BlobCreated events → `blobCreated`, which starts the
// runs of matching blob-trigger schedules.
param functionAppName string
param workspaceName string
param workspaceResourceGroup string = resourceGroup().name
param datastoreStorageAccountName string
param location string = resourceGroup().location

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' existing = {
  name: workspaceName
  scope: resourceGroup(workspaceResourceGroup)
}

resource datastoreAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: datastoreStorageAccountName
  scope: resourceGroup(workspaceResourceGroup)
}

resource amlTopic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: 'evgt-aml-${functionAppName}'
  location: location
  properties: { source: workspace.id, topicType: 'Microsoft.MachineLearningServices.Workspaces' }
}

resource amlSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: amlTopic
  name: 'aml-job-events'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: { resourceId: '${app.id}/functions/amlJobEvents', maxEventsPerBatch: 1 }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.MachineLearningServices.RunCompleted'
        'Microsoft.MachineLearningServices.RunStatusChanged'
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
  }
}

resource storageTopic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: 'evgt-blob-${functionAppName}'
  location: location
  properties: { source: datastoreAccount.id, topicType: 'Microsoft.Storage.StorageAccounts' }
}

resource blobSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: storageTopic
  name: 'blob-created'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: { resourceId: '${app.id}/functions/blobCreated', maxEventsPerBatch: 1 }
    }
    filter: { includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ] }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
  }
}
