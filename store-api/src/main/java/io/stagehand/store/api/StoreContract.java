package io.stagehand.store.api;

import io.stagehand.core.CommitLogVariant;
import io.stagehand.core.spi.Store;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole contract kit. A store's test extends this once per commit-log variant and implements
 * {@link #createStore()}; every group below then runs against it:
 *
 * <pre>{@code
 * class MemoryGlobalStoreTest extends StoreContract {
 *   protected Store createStore() { return MemoryStore.create(CommitLogVariant.GLOBAL); }
 * }
 * }</pre>
 */
public abstract class StoreContract {
  protected StoreContract() {}

  /** A new, empty store of the variant under test; called once per test. */
  protected abstract Store createStore();

  @Nested
  @DisplayName("the unit of work")
  class UnitOfWork extends UnitOfWorkContract {
    UnitOfWork() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("staging")
  class Staging extends StagingContract {
    Staging() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("bad input")
  class BadInput extends BadInputContract {
    BadInput() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("plan and apply")
  class Apply extends ApplyContract {
    Apply() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("an apply after a plan")
  class PlanReuse extends PlanReuseContract {
    PlanReuse() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("the records of the applies")
  class ApplyRecords extends ApplyRecordContract {
    ApplyRecords() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("handler outputs")
  class Outputs extends OutputsContract {
    Outputs() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("drift: refresh, repair and adopt")
  class Drifts extends DriftContract {
    Drifts() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("the apply lease")
  class Leases extends LeaseContract {
    Leases() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("history and rollback")
  class Rollbacks extends RollbackContract {
    Rollbacks() {
      super(StoreContract.this::createStore);
    }
  }

  @Nested
  @DisplayName("scenario files")
  class Scenarios {
    @TestFactory
    Stream<DynamicTest> scenarios() {
      return ScenarioFiles.tests(StoreContract.this::createStore);
    }
  }
}
