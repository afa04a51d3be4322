#!/bin/bash
# <Create>
  az group create \
    --name rg <demo>
# </Create>
# <Assign>
az role assignment create
# </Assign>
