"""The rehearsal: the Pulumi program itself (`ior_infra.program`), run under Pulumi's mock engine
with mocks that create every resource moto can hold in the local cloud and record the rest. The
local stack is what this deploys: its workers are the program's functions and event source
mappings, its scheduler fires the program's schedules, its outputs are the stack's outputs."""
