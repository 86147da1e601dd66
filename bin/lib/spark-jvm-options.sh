# Sourced by bin/w2lab and bin/local-cluster: the JVM options any JVM hosting Spark needs on Java 17
# (org.apache.spark.launcher.JavaModuleOptions of Spark 4), in $spark_jvm_options.
spark_jvm_options="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  spark_jvm_options="$spark_jvm_options --add-opens=java.base/$p=ALL-UNNAMED"
done
spark_jvm_options="$spark_jvm_options -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
