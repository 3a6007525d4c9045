#pragma once
// The pools a user would pick instead of SyncPool, behind the same interface
// (constructor from PoolConfig, get/put/pin/clear/stats).
#include "core/malloc_pool.hpp"
#include "core/mutex_pool.hpp"
#include "core/treiber_pool.hpp"
